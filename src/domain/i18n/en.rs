//! The English catalogue.

use super::{Plural, Texts};

/// English.
pub static EN: Texts = Texts {
    // ---------------------------------------------------------- app shell
    app_title: "Workflow Monitor",
    running_workflows: "Running workflows",
    // -------------------------------------------------------------- table
    // -------------------------------------------------------------- names
    user_system: "System / automation",
    user_fallback: "User {id}",
    user_title: "User ID {id}",
    template_robot: "Automation rule or robot (template {id})",
    template_fallback: "Template {id}",
    template_title: "Template ID {id}",
    name_pending: "Loading the name…",
    names_templates_failed:
        "Template names could not be loaded, so template IDs are shown. {error}",
    names_users_failed: "User names could not be loaded, so user IDs are shown. {error}",
    // ---------------------------------------------------------- documents
    doc_deal: "Deal {id}",
    doc_lead: "Lead {id}",
    doc_contact: "Contact {id}",
    doc_company: "Company {id}",
    doc_estimate: "Estimate {id}",
    doc_invoice: "Invoice {id}",
    doc_smart_process: "Smart process {type} · item {id}",
    doc_drive_file: "Drive file {id}",
    doc_list_element: "List element {id}",
    doc_group_list_element: "Group list element {id}",
    kind_deal: "Deal",
    kind_lead: "Lead",
    kind_contact: "Contact",
    kind_company: "Company",
    kind_estimate: "Estimate",
    kind_invoice: "Invoice",
    kind_smart_process: "Smart process",
    kind_drive_file: "Drive file",
    kind_lists: "Lists",
    kind_list_in_group: "List in a group",
    module_crm: "CRM",
    module_disk: "Drive",
    module_lists: "Lists",
    doc_show_all: "Show all workflows of {document}",
    doc_show_all_raw: "Show all workflows of this document",
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
    // -------------------------------------------------- plurals: names
    // ---------------------------------------------- plurals: documents
    // --------------------------------------------------- plurals: time
    // ------------------------------------------------ plurals: signals
    // --------------------------------------------------- plurals: look
};
