//! The English catalogue.

use super::{Plural, Texts};

/// English.
pub static EN: Texts = Texts {
    // ---------------------------------------------------------- app shell
    app_title: "Workflow Monitor",
    running_workflows: "Running workflows",
    connecting: "Connecting to your Bitrix24 portal…",
    could_not_connect: "Could not connect to your Bitrix24 portal",
    reload: "Reload",
    intro_title: "Workflow Monitor for Bitrix24",
    intro_what: "Workflow Monitor lists every running workflow (business process) of a Bitrix24 portal, so that administrators can find stuck workflows, see what runs on a deal or a lead, and who started what.",
    intro_inside_only: "It runs inside your Bitrix24 portal and cannot be used on its own page.",
    intro_how: "How to install it",
    intro_step_open: "In your portal, open Applications → Developer resources → Other → Local application.",
    intro_step_path: "Set the handler path to the HTTPS address of this page, leave the installation path empty, and grant the permissions “bizproc” and “user_brief”.",
    intro_step_use: "Save, then open Workflow Monitor from the portal's left menu. Only portal administrators can view running workflows.",
    install_title: "Install Workflow Monitor",
    install_what: "Workflow Monitor lists the running workflows of {portal} for portal administrators, and lets them stop or delete workflows after an explicit confirmation.",
    install_list_intro: "Installing it:",
    install_no_changes: "changes no workflow, template or data in the portal;",
    install_permissions: "uses the permissions “bizproc” (to read running workflows) and “user_brief” (to show who started them);",
    install_menu: "adds Workflow Monitor to the portal's menu. Only administrators can view workflows in it.",
    install_finish: "Finish installation",
    install_finishing: "Finishing installation…",
    install_failed: "The portal did not confirm the installation: {reason}",
    // -------------------------------------------------------------- table
    loading_workflows: "Loading running workflows…",
    load_failed: "Could not load the running workflows",
    admins_only_title: "Only portal administrators can view running workflows",
    admins_only_text: "Bitrix24 lets only portal administrators list running workflows. Ask an administrator of your portal to open Workflow Monitor, or to make you an administrator.",
    no_bizproc_title: "Workflows are not available on this portal's plan",
    no_bizproc_text: "Your Bitrix24 plan does not include business processes, so there are no workflows to show. They are available on the plans that include automation and business processes.",
    save_default_view: "Save as default view",
    saved_default_view: "Saved as your default view: it opens when you start Workflow Monitor.",
    auto_refresh: "Auto-refresh every 30 s",
    refresh: "Refresh",
    empty_title: "No running workflows",
    empty_portal: "Nothing is running in this portal right now. Workflows appear here as soon as they start.",
    empty_filtered: "No running workflow matches these filters.",
    pages: "Pages",
    first_page: "First page",
    previous_page: "Previous page",
    next_page: "Next page",
    last_page: "Last page",
    page_of: "Page {page} of {last}",
    go_to_page: "Go to page",
    go: "Go",
    enter_page_number: "Enter a page number.",
    rows_per_page: "Rows per page",
    showing: "Showing {first}–{last} of {total}",
    no_workflows: "No workflows",
    no_workflows_on_this_page: "No workflows on this page ({total} in all)",
    list_changed: "The list changed while you were reading: {change}; there are now {total} in all. Rows may have moved between pages.",
    // -------------------------------------------------------------- names
    // ---------------------------------------------------------- documents
    // --------------------------------------------------------------- time
    // ------------------------------------------------------------ signals
    // --------------------------------------------------------------- look
    // ------------------------------------------------------------ plurals
    workflows: Plural {
        one: "{n} workflow",
        few: "{n} workflows",
        many: "{n} workflows",
    },
    // -------------------------------------------------- plurals: table
    workflows_started: Plural {
        one: "{n} workflow started",
        few: "{n} workflows started",
        many: "{n} workflows started",
    },
    workflows_ended: Plural {
        one: "{n} workflow ended or was removed",
        few: "{n} workflows ended or were removed",
        many: "{n} workflows ended or were removed",
    },
    // -------------------------------------------------- plurals: names
    // ---------------------------------------------- plurals: documents
    // --------------------------------------------------- plurals: time
    // ------------------------------------------------ plurals: signals
    // --------------------------------------------------- plurals: look
};
