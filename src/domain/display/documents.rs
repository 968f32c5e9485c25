//! The document a workflow runs on, read from a row's `MODULE_ID`,
//! `ENTITY` and `DOCUMENT_ID` (fact sheet §1.6) into a [`DocumentRef`]:
//! a kind and validated numeric ids, named for the admin ("Deal 1633",
//! "Smart process 147 · item 1") and linked to its portal page (§1.7).
//!
//! Links are built only from ids this module parsed and validated
//! (ASCII digits, no sign, no leading zero, not 0, within `u64`): the raw
//! strings never reach a URL. A value that does not parse is not a
//! document reference at all ([`UnreadableDocument`]); the UI shows the
//! raw values as text instead, never a broken link.

use thiserror::Error;

use crate::domain::i18n::{fill, Texts};
use crate::domain::table::filters::{DocumentFilter, Filter, FilterError};

/// The CRM entityTypeId of estimates (quotes), §1.7.
pub const ESTIMATE_TYPE_ID: u64 = 7;
/// The CRM entityTypeId of (smart) invoices, §1.7.
pub const INVOICE_TYPE_ID: u64 = 31;

/// Why a row's document could not be read. Either way the row shows its
/// raw values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum UnreadableDocument {
    /// A module and entity the app does not know (or one is missing).
    #[error("a kind of document the app does not know")]
    UnknownKind,
    /// A known kind whose `DOCUMENT_ID` is not in its documented form.
    #[error("a document id that is not in its kind's form")]
    MalformedId,
}

/// A document a workflow runs on: its kind and its ids, all validated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DocumentRef {
    kind: DocumentKind,
    /// The item: deal, lead, … id; the smart process item; the Drive
    /// object; the list element.
    item: u64,
    /// The smart process's entityTypeId (`DYNAMIC_<type>_<item>`).
    type_id: Option<u64>,
    /// The list (iblock) of a news-feed list element, when known from the
    /// workflow's template (`DOCUMENT_TYPE` `iblock_<id>`, §1.7).
    list_id: Option<u64>,
}

/// A positive decimal id in its canonical form: 1 to 20 ASCII digits, no
/// sign, no spaces, no leading zero, not 0, fitting a `u64`. Item 0 is not
/// a document (a CRM "details/0" page creates a new item).
pub fn canonical_id(text: &str) -> Option<u64> {
    let b = text.as_bytes();
    if b.is_empty() || b.len() > 20 || b[0] == b'0' || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    text.parse().ok().filter(|n| *n > 0)
}

/// `text` without `prefix`, compared ignoring ASCII case (the portal's
/// database compares so too); `None` when it does not start with it.
fn strip_prefix_ci<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

impl DocumentRef {
    /// Reads a row's `MODULE_ID`, `ENTITY` and `DOCUMENT_ID`.
    ///
    /// Module and entity name the kind (ignoring ASCII case and
    /// surrounding spaces, as the portal compares them); the id must be
    /// exactly its kind's form: `DEAL_1633`, `DYNAMIC_147_1`,
    /// `SMART_INVOICE_3`, a bare `777` for Drive and lists.
    pub fn parse(
        module: &str,
        entity: &str,
        document_id: &str,
    ) -> Result<DocumentRef, UnreadableDocument> {
        let kind = DocumentKind::of(module.trim(), entity.trim())
            .ok_or(UnreadableDocument::UnknownKind)?;
        let malformed = UnreadableDocument::MalformedId;
        let prefixed = |prefix: &str| {
            strip_prefix_ci(document_id, prefix)
                .and_then(canonical_id)
                .ok_or(malformed)
        };
        let (item, type_id) = match kind {
            DocumentKind::Deal => (prefixed("DEAL_")?, None),
            DocumentKind::Lead => (prefixed("LEAD_")?, None),
            DocumentKind::Contact => (prefixed("CONTACT_")?, None),
            DocumentKind::Company => (prefixed("COMPANY_")?, None),
            DocumentKind::Estimate => (prefixed("QUOTE_")?, None),
            DocumentKind::Invoice => (prefixed("SMART_INVOICE_")?, None),
            DocumentKind::SmartProcess => {
                let rest = strip_prefix_ci(document_id, "DYNAMIC_").ok_or(malformed)?;
                let (type_text, item_text) = rest.split_once('_').ok_or(malformed)?;
                let type_id = canonical_id(type_text).ok_or(malformed)?;
                (canonical_id(item_text).ok_or(malformed)?, Some(type_id))
            }
            DocumentKind::DriveFile | DocumentKind::Lists | DocumentKind::ListInGroup => {
                (canonical_id(document_id).ok_or(malformed)?, None)
            }
        };
        Ok(DocumentRef {
            kind,
            item,
            type_id,
            list_id: None,
        })
    }

    /// The same document, with the list (iblock) its workflow's template
    /// names in `DOCUMENT_TYPE` (`iblock_26`, §1.5): news-feed list
    /// elements link to their process page only with it. Ignored for other
    /// kinds and for anything but `iblock_<id>`.
    pub fn with_template_type(mut self, document_type: Option<&str>) -> DocumentRef {
        if self.kind == DocumentKind::Lists {
            self.list_id = document_type
                .and_then(|t| strip_prefix_ci(t, "iblock_"))
                .and_then(canonical_id);
        }
        self
    }

    /// The kind.
    pub fn kind(&self) -> DocumentKind {
        self.kind
    }

    /// The item id.
    pub fn item(&self) -> u64 {
        self.item
    }

    /// A smart process's entityTypeId.
    pub fn type_id(&self) -> Option<u64> {
        self.type_id
    }

    /// The admin's name for it: "Deal 1633", "Smart process 147 · item 1".
    /// Ids are written plainly (no digit grouping: they are names, not
    /// quantities).
    pub fn label(&self, t: &Texts) -> String {
        let item = self.item.to_string();
        let template = match self.kind {
            DocumentKind::Deal => t.doc_deal,
            DocumentKind::Lead => t.doc_lead,
            DocumentKind::Contact => t.doc_contact,
            DocumentKind::Company => t.doc_company,
            DocumentKind::Estimate => t.doc_estimate,
            DocumentKind::Invoice => t.doc_invoice,
            DocumentKind::SmartProcess => t.doc_smart_process,
            DocumentKind::DriveFile => t.doc_drive_file,
            DocumentKind::Lists => t.doc_list_element,
            DocumentKind::ListInGroup => t.doc_group_list_element,
        };
        let type_id = self.type_id.map(|n| n.to_string()).unwrap_or_default();
        fill(template, &[("id", &item), ("type", &type_id)])
    }

    /// The document's page in the portal, as a path from the portal's
    /// root (§1.7), or `None` when the app cannot know it: Drive files
    /// (the URL comes from `disk.file.get`), lists in workgroups (the
    /// group is not in the row), news-feed list elements whose list is
    /// unknown. Estimates and invoices use their CRM entityTypeId form
    /// (`/crm/type/7/…`, `/crm/type/31/…`), which `openPath` accepts.
    pub fn portal_path(&self) -> Option<String> {
        let item = self.item;
        let crm = |kind: &str| Some(format!("/crm/{kind}/details/{item}/"));
        let typed = |type_id: u64| Some(format!("/crm/type/{type_id}/details/{item}/"));
        match self.kind {
            DocumentKind::Deal => crm("deal"),
            DocumentKind::Lead => crm("lead"),
            DocumentKind::Contact => crm("contact"),
            DocumentKind::Company => crm("company"),
            DocumentKind::Estimate => typed(ESTIMATE_TYPE_ID),
            DocumentKind::Invoice => typed(INVOICE_TYPE_ID),
            DocumentKind::SmartProcess => self.type_id.and_then(typed),
            DocumentKind::Lists => self.list_id.map(|list| {
                format!("/bizproc/processes/?livefeed=y&list_id={list}&element_id={item}")
            }),
            DocumentKind::DriveFile | DocumentKind::ListInGroup => None,
        }
    }

    /// Whether the portal's slider opens the page (`openPath` accepts only
    /// its documented paths: the CRM ones here, §1.7). Other pages open in
    /// a new tab.
    pub fn opens_in_slider(&self) -> bool {
        self.portal_path().is_some()
            && !matches!(
                self.kind,
                DocumentKind::Lists | DocumentKind::ListInGroup | DocumentKind::DriveFile
            )
    }
}

/// The full URL of a portal path: the portal's origin, then the path.
/// The path must come from [`DocumentRef::portal_path`].
pub fn portal_url(origin: &str, path: &str) -> String {
    format!("{}{path}", origin.trim_end_matches('/'))
}

impl DocumentKind {
    /// The admin's name for the kind ("Deal", "Smart process"), for the
    /// Entity column and the Document menu.
    pub fn name(self, t: &Texts) -> &'static str {
        match self {
            DocumentKind::Deal => t.kind_deal,
            DocumentKind::Lead => t.kind_lead,
            DocumentKind::Contact => t.kind_contact,
            DocumentKind::Company => t.kind_company,
            DocumentKind::Estimate => t.kind_estimate,
            DocumentKind::Invoice => t.kind_invoice,
            DocumentKind::SmartProcess => t.kind_smart_process,
            DocumentKind::DriveFile => t.kind_drive_file,
            DocumentKind::Lists => t.kind_lists,
            DocumentKind::ListInGroup => t.kind_list_in_group,
        }
    }
}

/// The admin's name for a `MODULE_ID` the app knows (`crm` → "CRM",
/// `disk` → "Drive", `lists` → "Lists"), ignoring ASCII case.
pub fn module_name(module: &str, t: &Texts) -> Option<&'static str> {
    let m = module.trim();
    [
        ("crm", t.module_crm),
        ("disk", t.module_disk),
        ("lists", t.module_lists),
    ]
    .into_iter()
    .find(|(wire, _)| wire.eq_ignore_ascii_case(m))
    .map(|(_, name)| name)
}

/// The admin's name for a row's `ENTITY`: its kind's name when module and
/// entity name a kind the app knows.
pub fn entity_name(module: &str, entity: &str, t: &Texts) -> Option<&'static str> {
    DocumentKind::of(module.trim(), entity.trim()).map(|k| k.name(t))
}

/// The kinds of document a workflow can run on (§1.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocumentKind {
    /// CRM deal.
    Deal,
    /// CRM lead.
    Lead,
    /// CRM contact.
    Contact,
    /// CRM company.
    Company,
    /// CRM estimate (quote).
    Estimate,
    /// CRM invoice (new, smart invoice).
    Invoice,
    /// CRM smart process item.
    SmartProcess,
    /// Drive file.
    DriveFile,
    /// News-feed process (lists).
    Lists,
    /// A list in a workgroup.
    ListInGroup,
}

impl DocumentKind {
    /// All kinds, in menu order.
    pub const ALL: [DocumentKind; 10] = [
        DocumentKind::Deal,
        DocumentKind::Lead,
        DocumentKind::Contact,
        DocumentKind::Company,
        DocumentKind::Estimate,
        DocumentKind::Invoice,
        DocumentKind::SmartProcess,
        DocumentKind::DriveFile,
        DocumentKind::Lists,
        DocumentKind::ListInGroup,
    ];

    /// A stable token for a `<select>` value.
    pub fn slug(self) -> &'static str {
        match self {
            DocumentKind::Deal => "deal",
            DocumentKind::Lead => "lead",
            DocumentKind::Contact => "contact",
            DocumentKind::Company => "company",
            DocumentKind::Estimate => "estimate",
            DocumentKind::Invoice => "invoice",
            DocumentKind::SmartProcess => "dynamic",
            DocumentKind::DriveFile => "disk",
            DocumentKind::Lists => "lists",
            DocumentKind::ListInGroup => "group-list",
        }
    }

    /// The kind with this [`DocumentKind::slug`].
    pub fn from_slug(slug: &str) -> Option<DocumentKind> {
        DocumentKind::ALL.into_iter().find(|k| k.slug() == slug)
    }

    /// `MODULE_ID`.
    pub fn module(self) -> &'static str {
        match self {
            DocumentKind::DriveFile => "disk",
            DocumentKind::Lists | DocumentKind::ListInGroup => "lists",
            _ => "crm",
        }
    }

    /// `ENTITY`.
    pub fn entity(self) -> &'static str {
        match self {
            DocumentKind::Deal => "CCrmDocumentDeal",
            DocumentKind::Lead => "CCrmDocumentLead",
            DocumentKind::Contact => "CCrmDocumentContact",
            DocumentKind::Company => "CCrmDocumentCompany",
            DocumentKind::Estimate => "Bitrix\\Crm\\Integration\\BizProc\\Document\\Quote",
            DocumentKind::Invoice => "Bitrix\\Crm\\Integration\\BizProc\\Document\\SmartInvoice",
            DocumentKind::SmartProcess => "Bitrix\\Crm\\Integration\\BizProc\\Document\\Dynamic",
            DocumentKind::DriveFile => "Bitrix\\Disk\\BizProcDocument",
            DocumentKind::Lists => "BizprocDocument",
            DocumentKind::ListInGroup => "Bitrix\\Lists\\BizprocDocumentLists",
        }
    }

    /// The kind of a document filter's module and entity (case as the
    /// portal's database compares: ignoring ASCII case).
    pub fn of(module: &str, entity: &str) -> Option<DocumentKind> {
        DocumentKind::ALL.into_iter().find(|k| {
            k.module().eq_ignore_ascii_case(module) && k.entity().eq_ignore_ascii_case(entity)
        })
    }

    /// What `DOCUMENT_ID` starts with before the number, if anything.
    fn prefix(self) -> Option<&'static str> {
        match self {
            DocumentKind::Deal => Some("DEAL_"),
            DocumentKind::Lead => Some("LEAD_"),
            DocumentKind::Contact => Some("CONTACT_"),
            DocumentKind::Company => Some("COMPANY_"),
            DocumentKind::Estimate => Some("QUOTE_"),
            DocumentKind::Invoice => Some("SMART_INVOICE_"),
            DocumentKind::SmartProcess => Some("DYNAMIC_"),
            _ => None,
        }
    }

    /// An example of the id field, for the input's hint.
    pub fn id_hint(self, t: &Texts) -> &'static str {
        match self {
            DocumentKind::Deal => t.hint_deal,
            DocumentKind::Lead => t.hint_lead,
            DocumentKind::Contact => t.hint_contact,
            DocumentKind::Company => t.hint_company,
            DocumentKind::Estimate => t.hint_estimate,
            DocumentKind::Invoice => t.hint_invoice,
            DocumentKind::SmartProcess => t.hint_smart_process,
            DocumentKind::DriveFile => t.hint_drive_file,
            DocumentKind::Lists | DocumentKind::ListInGroup => t.hint_list_element,
        }
    }

    /// The `DOCUMENT_ID` for what the admin typed: `777` becomes
    /// `DEAL_777` (and `147_1` becomes `DYNAMIC_147_1`); a value already
    /// carrying the prefix, in any case, is sent with it upper-cased;
    /// anything else is sent as typed. `None` for empty text.
    pub fn document_id(self, typed: &str) -> Option<String> {
        let t = typed.trim();
        if t.is_empty() {
            return None;
        }
        let Some(prefix) = self.prefix() else {
            return Some(t.to_owned());
        };
        let bare = t.bytes().all(|b| b.is_ascii_digit() || b == b'_')
            && t.bytes().next().is_some_and(|b| b.is_ascii_digit());
        if bare {
            return Some(format!("{prefix}{t}"));
        }
        match t.get(..prefix.len()) {
            Some(head) if head.eq_ignore_ascii_case(prefix) => {
                Some(format!("{prefix}{}", &t[prefix.len()..]))
            }
            _ => Some(t.to_owned()),
        }
    }

    /// The filter for this kind and, when `typed` is not empty, one document.
    pub fn filter(self, typed: &str) -> Result<Filter, FilterError> {
        let id = self.document_id(typed);
        DocumentFilter::new(self.module(), self.entity(), id.as_deref()).map(Filter::Document)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::i18n::{EN, RU};

    const DEAL: (&str, &str) = ("crm", "CCrmDocumentDeal");
    const LEAD: (&str, &str) = ("crm", "CCrmDocumentLead");
    const CONTACT: (&str, &str) = ("crm", "CCrmDocumentContact");
    const COMPANY: (&str, &str) = ("crm", "CCrmDocumentCompany");
    const QUOTE: (&str, &str) = ("crm", "Bitrix\\Crm\\Integration\\BizProc\\Document\\Quote");
    const INVOICE: (&str, &str) = (
        "crm",
        "Bitrix\\Crm\\Integration\\BizProc\\Document\\SmartInvoice",
    );
    const DYNAMIC: (&str, &str) = (
        "crm",
        "Bitrix\\Crm\\Integration\\BizProc\\Document\\Dynamic",
    );
    const DISK: (&str, &str) = ("disk", "Bitrix\\Disk\\BizProcDocument");
    const LISTS: (&str, &str) = ("lists", "BizprocDocument");
    const GROUP_LIST: (&str, &str) = ("lists", "Bitrix\\Lists\\BizprocDocumentLists");

    fn parse(kind: (&str, &str), id: &str) -> Result<DocumentRef, UnreadableDocument> {
        DocumentRef::parse(kind.0, kind.1, id)
    }

    #[test]
    fn every_kind_reads_into_a_label_and_a_path() {
        /// Kind, `DOCUMENT_ID`, English, Russian, portal path.
        type Case = (
            (&'static str, &'static str),
            &'static str,
            &'static str,
            &'static str,
            Option<&'static str>,
        );
        let cases: &[Case] = &[
            (
                DEAL,
                "DEAL_1633",
                "Deal 1633",
                "Сделка 1633",
                Some("/crm/deal/details/1633/"),
            ),
            (
                LEAD,
                "LEAD_1",
                "Lead 1",
                "Лид 1",
                Some("/crm/lead/details/1/"),
            ),
            (
                CONTACT,
                "CONTACT_5",
                "Contact 5",
                "Контакт 5",
                Some("/crm/contact/details/5/"),
            ),
            (
                COMPANY,
                "COMPANY_7",
                "Company 7",
                "Компания 7",
                Some("/crm/company/details/7/"),
            ),
            (
                QUOTE,
                "QUOTE_2",
                "Estimate 2",
                "Предложение 2",
                Some("/crm/type/7/details/2/"),
            ),
            (
                INVOICE,
                "SMART_INVOICE_3",
                "Invoice 3",
                "Счёт 3",
                Some("/crm/type/31/details/3/"),
            ),
            (
                DYNAMIC,
                "DYNAMIC_147_1",
                "Smart process 147 · item 1",
                "Смарт-процесс 147 · элемент 1",
                Some("/crm/type/147/details/1/"),
            ),
            (DISK, "777", "Drive file 777", "Файл Диска 777", None),
            (LISTS, "12", "List element 12", "Элемент списка 12", None),
            (
                GROUP_LIST,
                "9",
                "Group list element 9",
                "Элемент списка группы 9",
                None,
            ),
        ];
        for (kind, id, en, ru, path) in cases {
            let doc = parse(*kind, id).unwrap_or_else(|e| panic!("{id}: {e}"));
            assert_eq!(doc.label(&EN), *en, "{id}");
            assert_eq!(doc.label(&RU), *ru, "{id}");
            assert_eq!(doc.portal_path().as_deref(), *path, "{id}");
            assert_eq!(doc.opens_in_slider(), path.is_some(), "{id}");
        }
    }

    #[test]
    fn kinds_are_matched_ignoring_case_and_ids_are_kept_exactly() {
        let doc = DocumentRef::parse(" CRM ", "ccrmdocumentdeal", "deal_42").expect("deal");
        assert_eq!(doc.kind(), DocumentKind::Deal);
        assert_eq!(doc.item(), 42);
        let big = parse(DEAL, "DEAL_18446744073709551615").expect("u64::MAX");
        assert_eq!(big.item(), u64::MAX);
        let dynamic = parse(DYNAMIC, "DYNAMIC_1030_99").expect("dynamic");
        assert_eq!((dynamic.type_id(), dynamic.item()), (Some(1030), 99));
    }

    #[test]
    fn malformed_ids_are_not_documents() {
        let malformed: &[((&str, &str), &str)] = &[
            (DEAL, ""),
            (DEAL, "DEAL_"),
            (DEAL, "DEAL_0"),
            (DEAL, "DEAL_007"),
            (DEAL, "DEAL_-5"),
            (DEAL, "DEAL_+5"),
            (DEAL, "DEAL_5 "),
            (DEAL, " DEAL_5"),
            (DEAL, "DEAL_5x"),
            (DEAL, "DEAL_1.5"),
            (DEAL, "DEAL_1e3"),
            (DEAL, "DEAL_18446744073709551616"),
            (DEAL, "DEAL_99999999999999999999999"),
            (DEAL, "1633"),
            (DEAL, "LEAD_1633"),
            (DEAL, "DEAL_1633/../../admin"),
            (DEAL, "DEAL_1633?x=1"),
            (DEAL, "DEAL_１２"),
            (DEAL, "DEAL_٣"),
            (DEAL, "DEAĹ_5"),
            (LEAD, "DEAL_5"),
            (INVOICE, "INVOICE_3"),
            (INVOICE, "SMART_INVOICE_"),
            (QUOTE, "QUOTE_x"),
            (DYNAMIC, "DYNAMIC_147"),
            (DYNAMIC, "DYNAMIC_147_"),
            (DYNAMIC, "DYNAMIC__1"),
            (DYNAMIC, "DYNAMIC_147_1_2"),
            (DYNAMIC, "DYNAMIC_0_1"),
            (DYNAMIC, "DYNAMIC_147_0"),
            (DYNAMIC, "DYNAMIC_abc_1"),
            (DYNAMIC, "147_1"),
            (DISK, "DISK_777"),
            (DISK, "0"),
            (DISK, "-1"),
            (LISTS, "12a"),
            (LISTS, "<img src=x onerror=alert(1)>"),
            (GROUP_LIST, "javascript:alert(1)"),
        ];
        for (kind, id) in malformed {
            assert_eq!(
                parse(*kind, id),
                Err(UnreadableDocument::MalformedId),
                "{kind:?} {id:?}"
            );
        }
        let huge = format!("DEAL_{}", "9".repeat(100_000));
        assert_eq!(parse(DEAL, &huge), Err(UnreadableDocument::MalformedId));
    }

    #[test]
    fn unknown_kinds_are_not_documents() {
        for (module, entity) in [
            ("", ""),
            ("crm", ""),
            ("", "CCrmDocumentDeal"),
            ("iblock", "CIBlockDocument"),
            ("disk", "CCrmDocumentDeal"),
            ("crm", "Bitrix\\Crm\\Integration\\BizProc\\Document\\Order"),
            ("crm", "<script>alert(1)</script>"),
            ("crm", "CCrmDocumentDeal\u{0}"),
        ] {
            assert_eq!(
                DocumentRef::parse(module, entity, "DEAL_1"),
                Err(UnreadableDocument::UnknownKind),
                "{module:?} {entity:?}"
            );
        }
    }

    #[test]
    fn list_elements_link_to_their_process_page_only_with_the_templates_list() {
        let element = parse(LISTS, "777").expect("list element");
        assert_eq!(element.portal_path(), None);
        let known = element.with_template_type(Some("iblock_26"));
        assert_eq!(
            known.portal_path().as_deref(),
            Some("/bizproc/processes/?livefeed=y&list_id=26&element_id=777")
        );
        assert!(!known.opens_in_slider(), "openPath refuses this path");
        for bad in [
            None,
            Some(""),
            Some("iblock_"),
            Some("iblock_0"),
            Some("DEAL"),
            Some("iblock_26&x=1"),
        ] {
            assert_eq!(
                element.with_template_type(bad).portal_path(),
                None,
                "{bad:?}"
            );
        }
        let group = parse(GROUP_LIST, "5").expect("group list");
        assert_eq!(
            group.with_template_type(Some("iblock_41")).portal_path(),
            None
        );
        let deal = parse(DEAL, "DEAL_5").expect("deal");
        assert_eq!(deal.with_template_type(Some("iblock_41")), deal);
    }

    #[test]
    fn urls_join_the_portal_origin_and_the_path() {
        assert_eq!(
            portal_url("https://b24.example.com", "/crm/deal/details/1/"),
            "https://b24.example.com/crm/deal/details/1/"
        );
        assert_eq!(
            portal_url("http://127.0.0.1:8080/", "/crm/deal/details/1/"),
            "http://127.0.0.1:8080/crm/deal/details/1/"
        );
    }

    #[test]
    fn modules_and_entities_have_readable_names() {
        assert_eq!(module_name("crm", &EN), Some("CRM"));
        assert_eq!(module_name("DISK", &EN), Some("Drive"));
        assert_eq!(module_name("lists", &RU), Some("Списки"));
        assert_eq!(module_name("iblock", &EN), None);
        assert_eq!(
            entity_name(DYNAMIC.0, DYNAMIC.1, &EN),
            Some("Smart process")
        );
        assert_eq!(entity_name(DEAL.0, DEAL.1, &RU), Some("Сделка"));
        assert_eq!(entity_name("disk", DEAL.1, &EN), None);
        for k in DocumentKind::ALL {
            assert!(!k.name(&EN).is_empty() && !k.name(&RU).is_empty());
        }
    }

    #[test]
    fn canonical_ids_are_positive_plain_decimals() {
        assert_eq!(canonical_id("1"), Some(1));
        assert_eq!(canonical_id("1633"), Some(1633));
        for bad in ["", "0", "00", "01", "-1", "+1", " 1", "1 ", "1_2", "١"] {
            assert_eq!(canonical_id(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn document_ids_get_their_kinds_prefix() {
        let d = DocumentKind::Deal;
        assert_eq!(d.document_id(" 777 "), Some("DEAL_777".into()));
        assert_eq!(d.document_id("deal_777"), Some("DEAL_777".into()));
        assert_eq!(d.document_id(""), None);
        assert_eq!(
            DocumentKind::SmartProcess.document_id("147_1"),
            Some("DYNAMIC_147_1".into())
        );
        assert_eq!(
            DocumentKind::Invoice.document_id("3"),
            Some("SMART_INVOICE_3".into())
        );
        assert_eq!(
            DocumentKind::DriveFile.document_id("777"),
            Some("777".into())
        );
        let Ok(Filter::Document(f)) = DocumentKind::Estimate.filter("5") else {
            panic!("a document filter");
        };
        assert_eq!(
            (f.module(), f.entity(), f.document()),
            (
                "crm",
                "Bitrix\\Crm\\Integration\\BizProc\\Document\\Quote",
                Some("QUOTE_5")
            )
        );
    }

    #[test]
    fn every_kind_round_trips_through_its_slug_and_wire_names() {
        for k in DocumentKind::ALL {
            assert_eq!(DocumentKind::from_slug(k.slug()), Some(k));
            assert_eq!(DocumentKind::of(k.module(), k.entity()), Some(k));
        }
        assert_eq!(
            DocumentKind::of("crm", "ccrmdocumentdeal"),
            Some(DocumentKind::Deal)
        );
    }
}
