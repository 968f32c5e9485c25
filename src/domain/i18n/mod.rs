//! The app's languages: English and Russian, chosen from `LANG` in the
//! init data (any other language falls back to English).
//!
//! One catalogue per language (`en`, `ru`): a [`Texts`] value with a
//! field per visible string, so a key missing in either language does not
//! compile, and a test checks that both fill the same placeholders.
//! Plural forms follow each language's rules ([`Plural`]); numbers are
//! grouped per locale ([`Lang::number`]).
//!
//! Strings with values use named placeholders, `{n}`, `{name}`, filled by
//! [`fill`]. Keep them whole sentences: word order differs between the
//! languages.

mod en;
mod ru;

pub use en::EN;
pub use ru::RU;

/// A language of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// English (also for every language without a catalogue).
    #[default]
    En,
    /// Russian.
    Ru,
}

impl Lang {
    /// Every language, for tests and menus.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Ru];

    /// The language for a Bitrix24 `LANG` code (`ru`, `en`, `de`, `ua`…)
    /// or a BCP 47 tag (`ru-RU`); anything else is English.
    pub fn from_code(code: &str) -> Lang {
        let primary = code
            .trim()
            .split(['-', '_'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match primary.as_str() {
            "ru" => Lang::Ru,
            _ => Lang::En,
        }
    }

    /// The BCP 47 tag, for `<html lang>` and `Intl`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
        }
    }

    /// The catalogue.
    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::En => &EN,
            Lang::Ru => &RU,
        }
    }

    /// `n` with the locale's digit grouping: `1,234,567` in English,
    /// `1 234 567` (no-break spaces) in Russian.
    pub fn number(self, n: u64) -> String {
        let sep = match self {
            Lang::En => ',',
            Lang::Ru => '\u{a0}',
        };
        let digits = n.to_string();
        let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 2);
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(sep);
            }
            out.push(c);
        }
        out
    }

    /// Which plural form `n` takes.
    pub fn plural_category(self, n: u64) -> PluralCategory {
        match self {
            Lang::En => {
                if n == 1 {
                    PluralCategory::One
                } else {
                    PluralCategory::Many
                }
            }
            // CLDR for Russian integers: one (1, 21, 31… but not 11),
            // few (2–4, 22–24… but not 12–14), many (the rest).
            Lang::Ru => match (n % 10, n % 100) {
                (1, r) if r != 11 => PluralCategory::One,
                (2..=4, r) if !(12..=14).contains(&r) => PluralCategory::Few,
                _ => PluralCategory::Many,
            },
        }
    }

    /// `forms` for `n`, with `{n}` filled with the grouped number:
    /// "1 workflow", "2 workflows"; "1 процесс", "2 процесса", "5 процессов".
    pub fn plural(self, n: u64, forms: &Plural) -> String {
        let form = match self.plural_category(n) {
            PluralCategory::One => forms.one,
            PluralCategory::Few => forms.few,
            PluralCategory::Many => forms.many,
        };
        fill(form, &[("n", &self.number(n))])
    }
}

/// The plural categories the two languages use for whole numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PluralCategory {
    /// 1 (English); 1, 21, 101 (Russian).
    One,
    /// 2–4, 22–24 (Russian only).
    Few,
    /// Everything else.
    Many,
}

/// The forms of a counted phrase, each with `{n}`. English uses `one`
/// and `many` (`few` repeats `many`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plural {
    /// "1 workflow" / "1 процесс".
    pub one: &'static str,
    /// "3 процесса" (Russian); English repeats `many`.
    pub few: &'static str,
    /// "5 workflows" / "5 процессов".
    pub many: &'static str,
}

impl Plural {
    fn forms(&self) -> [&'static str; 3] {
        [self.one, self.few, self.many]
    }
}

/// `template` with each `{name}` replaced by its value; unknown
/// placeholders stay as they are (visible, never a panic).
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            out.push_str(&rest[open..]);
            return out;
        };
        let name = &after[..close];
        match values.iter().find(|(k, _)| *k == name) {
            Some((_, v)) => out.push_str(v),
            None => {
                out.push('{');
                out.push_str(name);
                out.push('}');
            }
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

/// The placeholder names in `template`, sorted and deduplicated.
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        names.push(&after[..close]);
        rest = &after[close + 1..];
    }
    names.sort_unstable();
    names.dedup();
    names
}

/// Declares [`Texts`]: one `&'static str` field per string and one
/// [`Plural`] field per counted phrase, and `entries()` listing them all
/// for the catalogue tests.
macro_rules! catalogue {
    (
        texts { $( $(#[$tdoc:meta])* $text:ident, )* }
        plurals { $( $(#[$pdoc:meta])* $plural:ident, )* }
    ) => {
        /// Every visible string of the app, in one language.
        #[derive(Debug)]
        pub struct Texts {
            $( $(#[$tdoc])* pub $text: &'static str, )*
            $( $(#[$pdoc])* pub $plural: Plural, )*
        }

        impl Texts {
            /// `(key, form)` for every string and every plural form.
            pub fn entries(&self) -> Vec<(&'static str, &'static str)> {
                let mut all = vec![$( (stringify!($text), self.$text), )*];
                $( for form in self.$plural.forms() {
                    all.push((stringify!($plural), form));
                } )*
                all
            }
        }
    };
}

catalogue! {
    texts {
        // ------------------------------------------------------ app shell
        /// The page heading.
        app_title,
        /// The table's heading.
        running_workflows,
        /// While the handshake runs.
        connecting,
        /// The handshake failed.
        could_not_connect,
        /// Reload the app.
        reload,
        /// Outside the portal: heading.
        intro_title,
        /// Outside the portal: what the app is.
        intro_what,
        /// Outside the portal: where it runs.
        intro_inside_only,
        /// Outside the portal: install heading.
        intro_how,
        /// Install step 1.
        intro_step_open,
        /// Install step 2.
        intro_step_path,
        /// Install step 3.
        intro_step_use,
        /// Installer heading.
        install_title,
        /// Installer: what the app does ({portal} is the portal's host, shown bold).
        install_what,
        /// Installer: list heading.
        install_list_intro,
        /// Installer: list item.
        install_no_changes,
        /// Installer: list item.
        install_permissions,
        /// Installer: list item.
        install_menu,
        /// Installer button.
        install_finish,
        /// Installer button while busy.
        install_finishing,
        /// Installer failure ({reason} from the portal).
        install_failed,
        // --------------------------------------------------------- table
        /// While the first page loads.
        loading_workflows,
        /// Headline of a failed page load.
        load_failed,
        /// ACCESS_DENIED headline.
        admins_only_title,
        /// ACCESS_DENIED explanation.
        admins_only_text,
        /// Plan without business processes: headline.
        no_bizproc_title,
        /// Plan without business processes: explanation.
        no_bizproc_text,
        /// Toolbar button.
        save_default_view,
        /// After saving the default view.
        saved_default_view,
        /// Toolbar checkbox.
        auto_refresh,
        /// Toolbar button.
        refresh,
        /// Empty list headline.
        empty_title,
        /// Empty list, no filters.
        empty_portal,
        /// Empty list under filters.
        empty_filtered,
        /// The pager's landmark name.
        pages,
        /// Pager button.
        first_page,
        /// Pager button.
        previous_page,
        /// Pager button.
        next_page,
        /// Pager button.
        last_page,
        /// Pager position.
        page_of,
        /// Jump-to-page label.
        go_to_page,
        /// Jump-to-page button.
        go,
        /// Jump-to-page error.
        enter_page_number,
        /// Page size label.
        rows_per_page,
        /// Rows on screen.
        showing,
        /// Nothing matches.
        no_workflows,
        /// A page past the end.
        no_workflows_on_this_page,
        /// The total moved between pages ({change} from workflows_started/ended).
        list_changed,
        /// Column and filter name.
        field_id,
        /// Column and filter name.
        field_started,
        /// Column and filter name.
        field_started_by,
        /// Column and filter name.
        field_template,
        /// Column name.
        field_module,
        /// Column name.
        field_entity,
        /// Column and filter name.
        field_document,
        /// Column and filter name.
        field_modified,
        /// Column and filter name.
        field_locked_until,
        /// Filter name.
        filter_workflow_id,
        /// A date filter's chip: field name, then range.
        chip_range,
        /// A closed date range.
        range_between,
        /// A range open at the end.
        range_from,
        /// A range open at the start.
        range_until,
        /// A range from a span ago until now.
        range_within,
        /// A range until a span ago.
        range_more_than_ago,
        /// One end of a range, a span ago.
        range_ago,
        /// An open range.
        range_any,
        /// Template chip.
        chip_template_is,
        /// Excluded template chip.
        chip_template_is_not,
        /// Started-by chip.
        chip_started_by,
        /// Started-by chip, name unknown.
        chip_started_by_user,
        /// Document chip.
        chip_document_is,
        /// Document kind chip.
        chip_document_kind,
        /// Workflow ID chip.
        chip_workflow_id,
        /// Preset button and chip.
        preset_stuck,
        /// Preset button and chip.
        preset_automation,
        /// Preset button and chip.
        preset_older_30,
        /// Preset button and chip.
        preset_idle_7,
        /// The portal ignored a filter.
        ignored_filter,
        /// Why: Started.
        broken_started,
        /// Why: the Idle preset.
        broken_idle,
        /// Why: Modified.
        broken_modified,
        /// Why: the Stuck preset.
        broken_stuck,
        /// Why: Locked until.
        broken_locked,
        /// Why: Template.
        broken_template,
        /// Why: excluded Template.
        broken_template_excluded,
        /// Why: Started by automation.
        broken_by_people,
        /// Why: Started by.
        broken_by_others,
        /// Why: Document.
        broken_document,
        /// Why: Workflow ID.
        broken_workflow_id,
        /// A date that cannot be read.
        filter_bad_date,
        /// Document filter without a kind.
        filter_no_document_kind,
        /// Empty workflow ID.
        filter_no_workflow_id,
        /// The filters' landmark name.
        filters,
        /// The presets' group name.
        presets,
        /// Opens the filter editor.
        add_filter,
        /// Filter count, none.
        no_filters,
        /// The chips' list name.
        active_filters,
        /// A chip's remove button.
        remove_filter,
        /// Removes every filter.
        clear_all,
        /// Date range input.
        range_from_label,
        /// Date range input.
        range_to_label,
        /// Header tooltip.
        sort_hint,
        /// The Columns menu.
        columns,
        /// Columns menu button.
        move_up,
        /// Columns menu button.
        move_down,
        /// Placeholder of the ID filter.
        workflow_id_example,
        /// The crash screen's heading.
        panic_title,
        /// The crash screen's text.
        panic_text,
        // ---------------------------------------------------------- names
        /// The "Started by" of `STARTED_BY` 0.
        user_system,
        /// A user `user.get` does not return (dismissed, integrator): `{id}`.
        user_fallback,
        /// Tooltip of a user's name: `{id}`.
        user_title,
        /// A `TEMPLATE_ID` that `template.list` never returns (§1.5): `{id}`.
        template_robot,
        /// A template whose name is not known (yet): `{id}`.
        template_fallback,
        /// Tooltip of a template's name: `{id}`.
        template_title,
        /// Tooltip of an id whose name is still loading.
        name_pending,
        /// The quiet note when `template.list` failed: `{error}`.
        names_templates_failed,
        /// The quiet note when `user.get` failed: `{error}`.
        names_users_failed,
        /// User search under way.
        searching,
        /// User search found nothing.
        no_users_match,
        /// User search failed.
        user_search_failed,
        /// User search placeholder.
        type_a_name,
        /// The user choices' list name.
        started_by_choices,
        /// Template picker while loading.
        loading_templates,
        /// Template list failed.
        templates_failed,
        /// Template picker: no filter.
        any_template,
        /// Template picker: exclude the chosen one.
        exclude,
        // ------------------------------------------------------ documents
        /// A deal: `{id}`.
        doc_deal,
        /// A lead: `{id}`.
        doc_lead,
        /// A contact: `{id}`.
        doc_contact,
        /// A company: `{id}`.
        doc_company,
        /// An estimate (quote): `{id}`.
        doc_estimate,
        /// An invoice (smart invoice): `{id}`.
        doc_invoice,
        /// A smart process item: `{type}` (entityTypeId), `{id}`.
        doc_smart_process,
        /// A Drive file: `{id}`.
        doc_drive_file,
        /// A news-feed list element: `{id}`.
        doc_list_element,
        /// An element of a workgroup's list: `{id}`.
        doc_group_list_element,
        /// The kind, in the Entity column and the Document menu.
        kind_deal,
        /// Lead.
        kind_lead,
        /// Contact.
        kind_contact,
        /// Company.
        kind_company,
        /// Estimate.
        kind_estimate,
        /// Invoice.
        kind_invoice,
        /// Smart process.
        kind_smart_process,
        /// Drive file.
        kind_drive_file,
        /// Lists.
        kind_lists,
        /// List in a group.
        kind_list_in_group,
        /// `MODULE_ID` crm, in the Module column.
        module_crm,
        /// `MODULE_ID` disk.
        module_disk,
        /// `MODULE_ID` lists.
        module_lists,
        /// The document cell's filter button: `{document}` is its label.
        doc_show_all,
        /// The same, for a document the app cannot name.
        doc_show_all_raw,
        /// The Document filter's chip for one document the app can name:
        /// `{document}` is its readable name ("Deal 1633").
        chip_document_named,
        /// Document ID typed without a kind.
        choose_kind_first,
        /// Document ID placeholder without a kind.
        choose_kind_hint,
        /// Document picker: no filter.
        any_document,
        /// Document ID input label.
        document_id,
        /// Document ID placeholder.
        hint_deal,
        /// Document ID placeholder.
        hint_lead,
        /// Document ID placeholder.
        hint_contact,
        /// Document ID placeholder.
        hint_company,
        /// Document ID placeholder.
        hint_estimate,
        /// Document ID placeholder.
        hint_invoice,
        /// Document ID placeholder.
        hint_smart_process,
        /// Document ID placeholder.
        hint_drive_file,
        /// Document ID placeholder.
        hint_list_element,
        // ----------------------------------------------------------- time
        /// The "Age" column (time since the workflow started).
        col_age,
        /// The "Idle" column (time since it last changed).
        col_idle,
        /// The twelve month abbreviations, January first, separated by
        /// spaces (dates in English read "Nov 28, 2026, 14:05").
        months_short,
        /// A moment before now: "{span} ago".
        rel_past,
        /// A moment after now: "in {span}".
        rel_future,
        /// Less than a second away from now.
        rel_now,
        /// Tooltip of a date the portal sent in a form the app cannot read.
        time_unreadable,
        /// How the keyboard moves through the table's dates (screen readers).
        table_keys_hint,
        // -------------------------------------------------------- signals
        /// The badge of a workflow whose lock expired over 5 minutes ago.
        badge_stuck,
        /// The quieter mark of a workflow unchanged for over 7 days.
        badge_idle,
        /// Why a row is stuck; {ago} is "2 h ago".
        stuck_explained,
        /// Why a row is idle; {span} is "9 days".
        idle_explained,
        /// Names the summary of stuck and idle counts.
        counts_label,
        /// Shown instead of the counts when they could not be fetched.
        counts_unavailable,
        /// What the stuck count does when pressed.
        count_stuck_hint,
        /// What the idle count does when pressed.
        count_idle_hint,
        // ----------------------------------------------------------- look
        /// The theme switch's label.
        theme,
        /// Theme: follow the system.
        theme_auto,
        /// Theme: light.
        theme_light,
        /// Theme: dark.
        theme_dark,
        /// The density switch's label.
        density,
        /// Density: one line per row.
        density_compact,
        /// Density: roomier rows, the relative time under the date.
        density_comfortable,
        // --------------------------------------------------------- errors
        /// REST error message.
        err_expired_token,
        /// REST error message.
        err_invalid_token,
        /// REST error message.
        err_no_auth_found,
        /// REST error message.
        err_insufficient_scope,
        /// REST error message.
        err_user_access,
        /// REST error message.
        err_authorization,
        /// REST error message.
        err_application_not_found,
        /// REST error message.
        err_connection,
        /// REST error message.
        err_access_denied,
        /// REST error message.
        err_rest_not_on_plan,
        /// REST error message.
        err_invalid_credentials,
        /// REST error message.
        err_query_limit,
        /// REST error message.
        err_operation_time_limit,
        /// REST error message.
        err_overload,
        /// REST error message.
        err_method_not_found,
        /// REST error message.
        err_batch_length,
        /// REST error message.
        err_batch_method,
        /// REST error message.
        err_invalid_request,
        /// REST error message.
        err_internal,
        /// REST error message.
        err_unexpected_answer,
        /// REST error message.
        err_portal_deleted,
        /// REST error message.
        err_core,
        /// REST error message.
        err_argument,
        /// REST error message.
        err_argument_named,
        /// REST error message.
        err_wrong_encoding,
        /// REST error message.
        err_wrong_workflow_id,
        /// REST error message.
        err_confirm_waiting,
        /// REST error message.
        err_confirm_denied,
        /// REST error message.
        err_other_bare,
        /// REST error message.
        err_other_description,
        /// REST error message.
        err_other_code,
        /// REST error message.
        err_other_both,
        /// REST error message.
        err_network,
        /// REST error message.
        err_timeout,
        /// REST error message.
        err_seconds_fraction,
        /// REST error message.
        err_redirected,
        /// REST error message.
        err_not_json,
        /// REST error message.
        err_http_status,
        /// REST error message.
        err_bad_response,
        /// REST error message.
        err_refresh_failed,
        /// REST error message.
        err_invalid_method,
        /// REST error message.
        err_invalid_params,
        /// Frame protocol error message.
        frame_timeout,
        /// Frame protocol error message.
        frame_refresh_timeout,
        /// Frame protocol error message.
        frame_install_not_confirmed,
        /// Frame protocol error message.
        frame_bad_answer,
        /// Frame protocol error message.
        frame_browser,
        // --------------------------------------------------------- safety
        /// Headline when the portal did not renew the app's token.
        renewal_failed_title,
        /// Why the reload is offered, under renewal_failed_title.
        renewal_failed_hint,
        // --------------------------------------------------------- limits
        /// While a 503 (or another refusal for load) is retried: "{seconds}" is busy_seconds.
        busy_rate_limited,
        /// While a 5xx, network failure or timeout is retried.
        busy_unavailable,
        /// While a method paused after 429 OPERATION_TIME_LIMIT waits for its budget.
        busy_paused,
        /// The button that stops the retrying.
        busy_cancel,
        /// Its tooltip.
        busy_cancel_hint,
        /// After "Cancel": the table keeps the rows it shows.
        stopped_retrying,
        /// The button that asks again after "Cancel".
        retry,
        /// RestError::Cancelled.
        err_cancelled,
        // -------------------------------------------------------- actions
        /// The run report's columns beside the ID (`field_id`): the
        /// outcome, the portal's message.
        report_outcome,
        report_message,
        /// A workflow the run stopped.
        outcome_stopped,
        /// A workflow the run deleted.
        outcome_deleted,
        /// A workflow that no longer ran when acted on.
        outcome_already_finished,
        /// A workflow that still runs after a failure.
        outcome_failed,
        /// A workflow nothing was sent for (the run was cancelled).
        outcome_not_attempted,
        /// The default status text of a stop: "{name}" is the admin's.
        act_status_default,
        /// The same when the admin's name is not known.
        act_status_default_anonymous,
        /// A filter change cleared the selection: "{workflows}" is `workflows`.
        selection_cleared,
        /// A row's checkbox: "{id}" is the workflow's ID.
        select_row,
        /// The header checkbox.
        select_page,
        /// The offer beside a whole selected page: "{n}" is the count.
        select_all_matching,
        /// Its note: "{n}" rows of the page.
        page_all_selected,
        /// The action bar's accessible name.
        selection_toolbar,
        /// "{n} selected".
        n_selected,
        /// "All {n} matching" chosen.
        all_matching_selected,
        /// The action buttons (each opens a confirmation).
        act_stop,
        act_delete,
        act_export,
        /// The export dialog's title.
        export_title,
        /// Its scope's legend.
        export_scope,
        /// "{n}": how many match.
        export_scope_matching,
        /// "{n}": how many are selected.
        export_scope_selected,
        /// The format's legend.
        export_format,
        /// CSV.
        export_csv,
        /// JSON.
        export_json,
        /// The columns' legend.
        export_columns,
        /// The table's visible columns.
        export_columns_visible,
        /// All nine fields.
        export_columns_all,
        /// A local-time column after each date.
        export_local_times,
        /// Starts the export.
        export_start,
        /// Closes the dialog.
        export_close,
        /// "{done}" of "{total}".
        export_progress,
        /// "{time}": the estimate.
        export_time_left,
        /// The progress bar's name.
        export_progress_name,
        /// Cancels a running export.
        export_cancel,
        /// "{workflows}" written to "{file}".
        export_done,
        /// "{matched}" at the start, "{change}" since.
        export_changed,
        /// "{workflows}" written before the cancel.
        export_cancelled,
        /// "{error}": why.
        export_failed,
        /// Closes the export's note.
        export_dismiss,
        /// The overview region's title.
        overview_title,
        /// The template chart's name.
        overview_by_template,
        /// The age chart's name.
        overview_by_age,
        /// The document kind chart's name.
        overview_by_kind,
        /// The starters chart's name.
        overview_by_starter,
        /// The templates after the top ten.
        overview_other,
        /// Templates the template list does not return.
        overview_automation,
        /// Documents of no known kind.
        overview_other_kinds,
        /// The people after the top ten.
        overview_other_people,
        /// Age band 0.
        overview_age_0,
        /// Age band 1.
        overview_age_1,
        /// Age band 2.
        overview_age_2,
        /// Age band 3.
        overview_age_3,
        /// Age band 4.
        overview_age_4,
        /// Age band 5.
        overview_age_5,
        /// A chart's counts are on their way.
        overview_loading,
        /// None of a chart's counts came.
        overview_failed,
        /// Some of a chart's counts failed.
        overview_incomplete,
        /// "{rows}" read of "{n}": the starters' sample.
        overview_sample,
        /// "{n}": the starters were counted over all.
        overview_whole,
        /// A chart with nothing to show.
        overview_empty,
        /// "{n}": a bar's stuck part.
        overview_stuck,
        /// "{n}": a bar's idle part.
        overview_idle,
        /// The data table's first column.
        overview_value,
        /// The data table's count column.
        overview_count,
        /// "{name}": a bar's tooltip.
        overview_show,
        /// The "Waiting for" column.
        col_waiting,
        /// Its cell while the tasks load.
        waiting_loading,
        /// A workflow with no open task.
        waiting_none,
        /// Why a running workflow has no task.
        waiting_none_tip,
        /// A stuck workflow with no task.
        waiting_none_stuck_tip,
        /// "{task}" and "{people}" (its assignees).
        waiting_line,
        /// "{name}" and "{n}" more assignees.
        waiting_more_people,
        /// A task no one still has to answer.
        waiting_nobody,
        /// The tooltip's line of one task: "{task}", "{people}".
        waiting_tip_task,
        /// "{state}": the workflow's state title.
        waiting_tip_state,
        /// More assignees than one page of the answer.
        waiting_more_rows,
        /// The tasks are not known.
        waiting_unknown,
        /// The portal ignored the workflow filter.
        waiting_unfiltered,
        /// "{error}": why the tasks could not be had.
        waiting_failed,
        /// Clears the selection.
        clear_selection,
        /// Announced when the selection is cleared.
        selection_none,
        /// The confirmation's titles.
        confirm_stop_title,
        confirm_delete_title,
        /// The confirmation's count: "{workflows}" is `workflows`.
        confirm_stop_count,
        confirm_delete_count,
        /// The confirm buttons: "{workflows}" is `workflows`.
        confirm_stop_button,
        confirm_delete_button,
        /// The breakdown's heading.
        confirm_by_template,
        /// Rows without a template in the breakdown.
        confirm_no_template,
        /// "{n}" templates beyond the top five, holding "{workflows}".
        confirm_more_templates,
        /// The oldest and newest start.
        confirm_started_between,
        /// All started at once.
        confirm_started_at,
        /// What changed since the selection: "{workflows}" is `workflows`.
        confirm_finished,
        confirm_no_longer_matching,
        confirm_left_filters,
        confirm_added,
        confirm_fewer,
        /// Nothing left to act on.
        confirm_nothing,
        /// Another tab holds the run lease: "{seconds}" until it lapses.
        confirm_other_tab,
        /// A delete's plain warning.
        confirm_delete_warning,
        /// The typed count's label: "{n}" is the count, digits only.
        confirm_type_count,
        /// The stop's STATUS field.
        status_text,
        /// While the set is resolved.
        checking_selection,
        /// The set could not be resolved.
        check_failed,
        /// The progress line: "{done}" of "{total}".
        progress_stopping,
        progress_deleting,
        progress_paused,
        progress_cancelling,
        /// The progress bar's name.
        run_progress,
        /// The run's controls.
        pause,
        resume,
        cancel,
        /// The result panel.
        result_stop_title,
        result_delete_title,
        result_failed_rows,
        retry_failed,
        download_report,
        close,
        // History of runs (issue 14)
        /// The history CSV's column of the template's name.
        history_template_name,
        /// The history CSV's column of the starter's name.
        history_started_by_name,
        /// The history CSV's column of the document's label.
        history_document_label,
        /// A workflow with no recorded outcome.
        outcome_unknown,
        /// The action in the banner: "Stop of 60 workflows…".
        history_action_stop,
        /// The action in the banner: "Deletion of 60 workflows…".
        history_action_delete,
        /// Banner of an interrupted run: {action}, {n} (the workflows
        /// plural), {time}, {name}, {k}.
        history_interrupted,
        /// Banner of a run written to recently: as history_interrupted,
        /// with {ago} (a relative time) instead of {k}.
        history_running_elsewhere,
        /// Confirmation warning: the app lacks the entity scope.
        history_no_scope,
        /// Confirmation warning: the portal refused the storage.
        history_denied,
        /// Confirmation warning: any other failure; {reason} is the error's message.
        history_failed,
        /// After a history warning: the run may go on, with the report.
        history_keep_report,
        /// A run paused because its journal could not be written:
        /// "{reason}" is why.
        history_paused,
        /// The banner's button that forgets an interrupted run.
        history_dismiss,
        /// The banner's region name.
        history_left_region,
        /// The button that opens the history.
        history_button,
        /// The history view's title.
        history_title,
        /// While the history is read.
        history_loading,
        /// No run recorded.
        history_none,
        /// Column: when a run started.
        history_when,
        /// Column: who started it.
        history_who,
        /// Column: the action.
        history_what,
        /// Column: its counts.
        history_counts,
        /// Column: where it stands.
        history_state,
        /// A run still marked running.
        history_state_running,
        /// A run that ended.
        history_state_finished,
        /// A run cancelled.
        history_state_cancelled,
        /// A run interrupted.
        history_state_interrupted,
        /// A run's button: "{when}" is its start.
        history_open_run,
        /// Back from a run to the list.
        history_back,
        /// Downloads a run as CSV.
        history_download,
        /// A long run: "{shown}" of "{n}" rows shown.
        history_first_rows,
    }
    plurals {
        // ------------------------------------------------------ app shell
        /// "{n} workflows".
        workflows,
        // --------------------------------------------------------- table
        /// Part of list_changed.
        workflows_started,
        /// Part of list_changed.
        workflows_ended,
        /// A span in date filters (Russian: genitive, after «не старше» / «более»).
        span_days,
        /// A span in date filters (Russian: genitive, after «не старше» / «более»).
        span_hours,
        /// A span in date filters (Russian: genitive, after «не старше» / «более»).
        span_minutes,
        /// A span in date filters (Russian: genitive, after «не старше» / «более»).
        span_seconds,
        /// How many filters are on.
        filters_applied,
        // ---------------------------------------------------------- names
        /// User search results.
        users_found,
        /// "+{n} tasks" beyond the first.
        waiting_more_tasks,
        /// "{n} already answered".
        waiting_answered,
        // ------------------------------------------------------ documents
        // ----------------------------------------------------------- time
        /// A short span in seconds: "{n} s".
        short_seconds,
        /// A short span in minutes: "{n} min".
        short_minutes,
        /// A short span in hours: "{n} h".
        short_hours,
        /// A short span in days: "{n} d".
        short_days,
        /// A short span in years: "{n} y".
        short_years,
        // -------------------------------------------------------- signals
        /// The stuck count of the summary: "{n} stuck".
        count_stuck,
        /// The idle count of the summary: "{n} idle > 7 days".
        count_idle,
        // ----------------------------------------------------------- look
        // --------------------------------------------------------- errors
        /// A timeout's length.
        err_seconds,
        // --------------------------------------------------------- safety
        // --------------------------------------------------------- limits
        /// The countdown of the busy line: "{n} s".
        busy_seconds,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lang_comes_from_the_portal_code_and_falls_back_to_english() {
        for (code, lang) in [
            ("ru", Lang::Ru),
            ("RU", Lang::Ru),
            ("ru-RU", Lang::Ru),
            ("en", Lang::En),
            ("de", Lang::En),
            ("ua", Lang::En),
            ("", Lang::En),
            ("<script>", Lang::En),
        ] {
            assert_eq!(Lang::from_code(code), lang, "{code:?}");
        }
    }

    #[test]
    fn numbers_are_grouped_per_locale() {
        assert_eq!(Lang::En.number(0), "0");
        assert_eq!(Lang::En.number(999), "999");
        assert_eq!(Lang::En.number(1_000), "1,000");
        assert_eq!(Lang::En.number(1_234_567), "1,234,567");
        assert_eq!(Lang::Ru.number(2_345), "2\u{a0}345");
        assert_eq!(
            Lang::Ru.number(u64::MAX),
            "18\u{a0}446\u{a0}744\u{a0}073\u{a0}709\u{a0}551\u{a0}615"
        );
    }

    #[test]
    fn plural_forms_follow_each_language() {
        let en = |n| Lang::En.plural(n, &EN.workflows);
        assert_eq!(en(0), "0 workflows");
        assert_eq!(en(1), "1 workflow");
        assert_eq!(en(2), "2 workflows");
        assert_eq!(en(1_001), "1,001 workflows");
        let ru = |n| Lang::Ru.plural(n, &RU.workflows);
        for (n, want) in [
            (0, "0 процессов"),
            (1, "1 процесс"),
            (2, "2 процесса"),
            (4, "4 процесса"),
            (5, "5 процессов"),
            (11, "11 процессов"),
            (12, "12 процессов"),
            (14, "14 процессов"),
            (21, "21 процесс"),
            (22, "22 процесса"),
            (101, "101 процесс"),
            (111, "111 процессов"),
        ] {
            assert_eq!(ru(n), want, "{n}");
        }
    }

    #[test]
    fn fill_replaces_known_placeholders_and_keeps_the_rest() {
        assert_eq!(fill("{a} and {b}", &[("a", "1"), ("b", "2")]), "1 and 2");
        assert_eq!(fill("{a} {zz}", &[("a", "x")]), "x {zz}");
        assert_eq!(fill("open { brace", &[]), "open { brace");
        assert_eq!(
            fill("{a}", &[("a", "{a}")]),
            "{a}",
            "values are not re-read"
        );
        assert_eq!(placeholders("{n} of {total}, {n}"), ["n", "total"]);
    }

    #[test]
    fn no_key_is_missing_or_empty_in_either_catalogue_and_placeholders_match() {
        // A missing field does not compile; this checks what the compiler
        // cannot: every string is filled in, and both languages use the
        // same placeholders for the same key.
        let en = EN.entries();
        let ru = RU.entries();
        assert_eq!(en.len(), ru.len());
        for ((key, e), (key_ru, r)) in en.iter().zip(&ru) {
            assert_eq!(key, key_ru);
            assert!(!e.trim().is_empty(), "English {key} is empty");
            assert!(!r.trim().is_empty(), "Russian {key} is empty");
            assert_eq!(placeholders(e), placeholders(r), "placeholders of {key}");
        }
    }

    #[test]
    fn the_russian_catalogue_is_translated() {
        // Strings written in Latin letters only are copies of the English
        // ones; a few (codes, names) are the same in both languages.
        const SAME_IN_BOTH: &[&str] = &["field_id", "module_crm", "export_csv", "export_json"];
        for ((key, e), (_, r)) in EN.entries().iter().zip(&RU.entries()) {
            let words = fill(e, &[]);
            let words: String = placeholders(e)
                .iter()
                .fold(words, |w, p| w.replace(&format!("{{{p}}}"), ""));
            if SAME_IN_BOTH.contains(key) || !words.chars().any(char::is_alphabetic) {
                continue;
            }
            assert!(
                r.chars().any(|c| ('\u{400}'..='\u{4ff}').contains(&c)),
                "{key} looks untranslated: {r:?}"
            );
        }
    }
}
