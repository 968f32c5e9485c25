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
    // ------------------------------------------------------------- errors
    err_expired_token: "The app's access to the portal has expired and could not be renewed. Reload the page.",
    err_invalid_token: "The portal no longer accepts the app's access token. Reload the page; if this keeps happening, reinstall the app.",
    err_no_auth_found: "The portal received the request without valid authorization. Reload the page.",
    err_insufficient_scope: "The app is missing a permission it needs on this portal (the \"bizproc\" scope). Ask an administrator to reinstall the app with the permissions it requests.",
    err_user_access: "An administrator has allowed this app only for certain users, and you are not one of them. Ask a portal administrator for access.",
    err_authorization: "The portal could not authorize the app. Reload the page; if this keeps happening, contact Bitrix24 support.",
    err_application_not_found: "The portal does not know this app: it may have been removed. Ask an administrator to reinstall it.",
    err_connection: "The portal could not reach its authorization server. Try again in a few minutes.",
    err_access_denied: "Only portal administrators can view running workflows.",
    err_rest_not_on_plan: "This portal's plan does not include the REST API the app needs; it is available on commercial plans.",
    err_invalid_credentials: "Your account does not have the rights this needs. Ask a portal administrator.",
    err_query_limit: "The portal is receiving too many requests right now. Wait a moment and try again.",
    err_operation_time_limit: "The portal has paused this request for the app because it used too much server time in the last 10 minutes. Try again in a few minutes.",
    err_overload: "Bitrix24 has blocked REST access on this portal because of overload. Contact Bitrix24 support to lift the block.",
    err_method_not_found: "Workflows are not available on this portal's plan.",
    err_batch_length: "The app sent more than 50 requests in one batch; this is a bug in the app.",
    err_batch_method: "The app used a request that is not allowed inside a batch; this is a bug in the app.",
    err_invalid_request: "The portal refused the request as invalid; it accepts requests over HTTPS only.",
    err_internal: "The portal had an internal error. Try again; if it keeps happening, contact Bitrix24 support.",
    err_unexpected_answer: "The portal produced an unexpected answer. Try again; if it keeps happening, contact Bitrix24 support.",
    err_portal_deleted: "The portal is closed or has been deleted; on an on-premise portal, its public part may be switched off.",
    err_core: "The portal could not process the request ({description}).",
    err_argument: "The portal refused a value the app sent: {description}",
    err_argument_named: "The portal refused a value the app sent (parameter \"{argument}\"): {description}",
    err_wrong_encoding: "The portal could not encode its answer. Try again; if it keeps happening, contact Bitrix24 support.",
    err_wrong_workflow_id: "The workflow was not found; it may have finished already ({description}).",
    err_confirm_waiting: "An administrator has yet to confirm that the app may use this feature.",
    err_confirm_denied: "An administrator declined the app's use of this feature.",
    err_other_bare: "The portal refused the request without giving a reason.",
    err_other_description: "The portal refused the request: {description}",
    err_other_code: "The portal reported the error {code}.",
    err_other_both: "The portal reported the error {code}: {description}",
    err_network: "The portal could not be reached. Check the network connection and try again.",
    err_timeout: "The portal did not answer within {seconds}.",
    err_seconds_fraction: "{n} seconds",
    err_redirected: "The portal tried to send the request elsewhere (a redirect); the app does not follow redirects with its access token.",
    err_not_json: "The portal answered with something other than data (HTTP {status}); a proxy or maintenance page may be in the way.",
    err_http_status: "The portal answered HTTP {status} without saying why.",
    err_bad_response: "The portal's answer could not be read: {detail}",
    err_refresh_failed: "The app's access could not be renewed ({reason}). Reload the page.",
    err_invalid_method: "The app tried to call \"{method}\", which is not a REST method name; this is a bug in the app.",
    err_invalid_params: "The app built invalid parameters for \"{method}\"; this is a bug in the app.",
    frame_timeout: "The Bitrix24 page did not answer the app's \"{command}\" request in time; it may have refused it. Reload the page and try again.",
    frame_refresh_timeout: "The Bitrix24 page did not renew the app's access token in time. Reload the page; if this keeps happening, ask your Bitrix24 administrator to check that the app is installed and that you may use it.",
    frame_install_not_confirmed: "The Bitrix24 page did not confirm the end of the installation. Only a Bitrix24 administrator can finish installing the app; reload the page and try again.",
    frame_bad_answer: "The Bitrix24 page's answer could not be used: {detail}",
    frame_browser: "The browser refused an operation the app needs: {detail}",
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
    // ------------------------------------------------- plurals: errors
    err_seconds: Plural {
        one: "{n} second",
        few: "{n} seconds",
        many: "{n} seconds",
    },
};
