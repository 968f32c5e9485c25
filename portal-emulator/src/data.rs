//! The emulated portal's people and templates, and the document kinds its
//! workflows run on (fact sheet §1.5, §1.6). Deterministic from the seed.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::auth::UserId;

/// The portal administrator who opens the app by default.
pub const ADMIN_USER: UserId = 1;
/// The user who opens the app with `--non-admin`.
pub const NON_ADMIN_USER: UserId = 7;
/// Users who started workflows but that `user.get` no longer returns
/// (dismissed or integrator accounts, §10).
pub const GONE_USERS: [UserId; 2] = [77, 412];

/// A name a spreadsheet would run as a formula (an export must write it as
/// text).
pub const FORMULA_TEXT: &str = "=HYPERLINK(\"http://evil.example/\",\"Open\")";

/// Markup that must reach the app as data and never run (issue: hostile text).
pub const HOSTILE_TEXT: &str =
    "<img src=x onerror=\"window.__xss=1\"><script>window.__xss=1</script>&amp; \"quoted\" 'single'";

/// Where a workflow runs: one row of the table in §1.6.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    Lead,
    Contact,
    Company,
    Deal,
    Quote,
    SmartInvoice,
    /// A smart process with its entityTypeId.
    Dynamic(u32),
    /// A news-feed list process (iblock id).
    ListsFeed(u32),
    /// A list in a workgroup (iblock id).
    ListsGroup(u32),
    /// A Drive storage.
    Disk(u32),
}

impl DocumentKind {
    /// MODULE_ID of the workflow row.
    pub fn module_id(self) -> &'static str {
        match self {
            DocumentKind::ListsFeed(_) | DocumentKind::ListsGroup(_) => "lists",
            DocumentKind::Disk(_) => "disk",
            _ => "crm",
        }
    }

    /// ENTITY of the workflow row (the document class, §1.6).
    pub fn entity(self) -> &'static str {
        match self {
            DocumentKind::Lead => "CCrmDocumentLead",
            DocumentKind::Contact => "CCrmDocumentContact",
            DocumentKind::Company => "CCrmDocumentCompany",
            DocumentKind::Deal => "CCrmDocumentDeal",
            DocumentKind::Quote => "Bitrix\\Crm\\Integration\\BizProc\\Document\\Quote",
            DocumentKind::SmartInvoice => {
                "Bitrix\\Crm\\Integration\\BizProc\\Document\\SmartInvoice"
            }
            DocumentKind::Dynamic(_) => "Bitrix\\Crm\\Integration\\BizProc\\Document\\Dynamic",
            DocumentKind::ListsFeed(_) => "BizprocDocument",
            DocumentKind::ListsGroup(_) => "Bitrix\\Lists\\BizprocDocumentLists",
            DocumentKind::Disk(_) => "Bitrix\\Disk\\BizProcDocument",
        }
    }

    /// DOCUMENT_ID of an item of this kind (§1.6).
    pub fn document_id(self, item: u32) -> String {
        match self {
            DocumentKind::Lead => format!("LEAD_{item}"),
            DocumentKind::Contact => format!("CONTACT_{item}"),
            DocumentKind::Company => format!("COMPANY_{item}"),
            DocumentKind::Deal => format!("DEAL_{item}"),
            DocumentKind::Quote => format!("QUOTE_{item}"),
            DocumentKind::SmartInvoice => format!("SMART_INVOICE_{item}"),
            DocumentKind::Dynamic(t) => format!("DYNAMIC_{t}_{item}"),
            DocumentKind::ListsFeed(_) | DocumentKind::ListsGroup(_) | DocumentKind::Disk(_) => {
                item.to_string()
            }
        }
    }

    /// The template's DOCUMENT_TYPE, third element (§1.5).
    pub fn document_type(self) -> String {
        match self {
            DocumentKind::Lead => "LEAD".into(),
            DocumentKind::Contact => "CONTACT".into(),
            DocumentKind::Company => "COMPANY".into(),
            DocumentKind::Deal => "DEAL".into(),
            DocumentKind::Quote => "QUOTE".into(),
            DocumentKind::SmartInvoice => "SMART_INVOICE".into(),
            DocumentKind::Dynamic(t) => format!("DYNAMIC_{t}"),
            DocumentKind::ListsFeed(i) | DocumentKind::ListsGroup(i) => format!("iblock_{i}"),
            DocumentKind::Disk(s) => format!("STORAGE_{s}"),
        }
    }

    /// How many distinct items of this kind the demo portal has: small
    /// ranges make several workflows run on one document, as in real portals.
    pub fn item_range(self) -> u32 {
        match self {
            DocumentKind::Deal => 2_000,
            DocumentKind::Lead => 6_000,
            DocumentKind::Contact | DocumentKind::Company => 3_000,
            _ => 800,
        }
    }
}

/// `CBPDocumentEventType::Automation`: templates at or above it are robots
/// and automation rules, hidden from `bizproc.workflow.template.list` (§1.5).
pub const AUTO_EXECUTE_AUTOMATION: u8 = 8;

/// A workflow template.
#[derive(Debug, Clone)]
pub struct Template {
    pub id: u32,
    pub name: String,
    pub description: String,
    pub kind: DocumentKind,
    /// 0 none, 1 on create, 2 on modify, 3 both, 8 automation (robots).
    pub auto_execute: u8,
    /// Unix seconds.
    pub modified: i64,
    pub user_id: UserId,
    /// Relative share of running workflows: a few templates flood the portal.
    pub weight: u32,
}

impl Template {
    /// Whether this is an automation (robot) template that template.list hides.
    pub fn is_automation(&self) -> bool {
        self.auto_execute >= AUTO_EXECUTE_AUTOMATION
    }
}

/// A portal user.
#[derive(Debug, Clone)]
pub struct User {
    pub id: UserId,
    pub name: String,
    pub last_name: String,
    pub second_name: String,
    pub work_position: String,
    pub department: String,
    pub is_admin: bool,
    pub active: bool,
}

/// Templates and users of the portal.
#[derive(Debug, Clone)]
pub struct Directory {
    pub templates: Vec<Template>,
    pub users: Vec<User>,
}

const TEMPLATES: &[(&str, DocumentKind, u8)] = &[
    ("Deal approval", DocumentKind::Deal, 1),
    ("Discount approval over 15%", DocumentKind::Deal, 2),
    ("Contract signing", DocumentKind::Deal, 0),
    ("Deal won: hand over to delivery", DocumentKind::Deal, 2),
    ("Lead qualification", DocumentKind::Lead, 1),
    ("Cold lead nurturing", DocumentKind::Lead, 3),
    ("Duplicate lead check", DocumentKind::Lead, 1),
    ("Contact data verification", DocumentKind::Contact, 1),
    ("Birthday greeting", DocumentKind::Contact, 0),
    ("Company KYC review", DocumentKind::Company, 1),
    ("Key account review", DocumentKind::Company, 0),
    ("Estimate approval", DocumentKind::Quote, 1),
    ("Invoice payment reminder", DocumentKind::SmartInvoice, 1),
    ("Overdue invoice escalation", DocumentKind::SmartInvoice, 2),
    ("Supplier onboarding", DocumentKind::Dynamic(147), 1),
    ("Purchase request approval", DocumentKind::Dynamic(147), 0),
    ("Warranty claim", DocumentKind::Dynamic(183), 1),
    ("Vacation request", DocumentKind::ListsFeed(26), 0),
    ("Business trip request", DocumentKind::ListsFeed(27), 0),
    ("Expense report", DocumentKind::ListsFeed(28), 0),
    ("Equipment request", DocumentKind::ListsGroup(41), 0),
    ("Document approval", DocumentKind::Disk(3), 0),
    ("Contract archive review", DocumentKind::Disk(5), 2),
    (
        "Sales robots: deal pipeline",
        DocumentKind::Deal,
        AUTO_EXECUTE_AUTOMATION,
    ),
    (
        "Sales robots: lead stages",
        DocumentKind::Lead,
        AUTO_EXECUTE_AUTOMATION,
    ),
    (
        "Automation rule: invoice stages",
        DocumentKind::SmartInvoice,
        AUTO_EXECUTE_AUTOMATION,
    ),
    (
        "Automation rule: smart process 147",
        DocumentKind::Dynamic(147),
        AUTO_EXECUTE_AUTOMATION,
    ),
    (
        "Robots: estimate follow-up",
        DocumentKind::Quote,
        AUTO_EXECUTE_AUTOMATION,
    ),
    (
        "Robots: company onboarding",
        DocumentKind::Company,
        AUTO_EXECUTE_AUTOMATION,
    ),
];

const FIRST_NAMES: &[&str] = &[
    "Anna", "Ivan", "Maria", "Pavel", "Olga", "Sergey", "Elena", "Dmitry", "Natalia", "Alexey",
    "Irina", "John", "Emily", "Michael", "Sophie", "Lukas", "Chen", "Aisha", "Mateo", "Yuki",
];
const LAST_NAMES: &[&str] = &[
    "Smirnova",
    "Petrov",
    "Ivanova",
    "Sokolov",
    "Kuznetsova",
    "Popov",
    "Vasilieva",
    "Novikov",
    "Morozova",
    "Volkov",
    "Smith",
    "Johnson",
    "Brown",
    "Müller",
    "Wang",
    "Khan",
    "García",
    "Tanaka",
    "O'Brien",
    "Дмитриева",
];
const POSITIONS: &[&str] = &[
    "Sales manager",
    "Head of sales",
    "Accountant",
    "HR specialist",
    "Lawyer",
    "Support engineer",
    "Marketing manager",
    "CEO",
];
const DEPARTMENTS: &[&str] = &["Sales", "Finance", "HR", "Legal", "Support", "Marketing"];

impl Directory {
    /// Builds the directory: the templates above (ids spread like a real
    /// portal's, with gaps) and 60 users, 1 being the administrator.
    pub fn generate(seed: u64) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x0d_1e_c7_0e);
        let base: i64 = 1_700_000_000;
        let mut templates: Vec<Template> = TEMPLATES
            .iter()
            .enumerate()
            .map(|(i, &(name, kind, auto_execute))| Template {
                id: 1 + (i as u32) * 7 + rng.random_range(0..7),
                name: name.to_owned(),
                description: format!("{name} (demo template)"),
                kind,
                auto_execute,
                modified: base + rng.random_range(0..40_000_000),
                user_id: ADMIN_USER,
                weight: if i % 9 == 0 {
                    40
                } else {
                    rng.random_range(1..10)
                },
            })
            .collect();
        // One template whose name is hostile markup (it must render as text).
        templates.push(Template {
            id: 212,
            name: HOSTILE_TEXT.to_owned(),
            description: "A template whose name is markup".to_owned(),
            kind: DocumentKind::Deal,
            auto_execute: 0,
            modified: base,
            user_id: ADMIN_USER,
            weight: 1,
        });

        let mut users: Vec<User> = (1..=60u32)
            .map(|id| {
                let first = FIRST_NAMES[rng.random_range(0..FIRST_NAMES.len())];
                let last = LAST_NAMES[rng.random_range(0..LAST_NAMES.len())];
                User {
                    id,
                    name: first.to_owned(),
                    last_name: last.to_owned(),
                    second_name: String::new(),
                    work_position: POSITIONS[rng.random_range(0..POSITIONS.len())].to_owned(),
                    department: DEPARTMENTS[rng.random_range(0..DEPARTMENTS.len())].to_owned(),
                    is_admin: id == ADMIN_USER || id == 2,
                    active: id % 17 != 0,
                }
            })
            .collect();
        if let Some(admin) = users.first_mut() {
            admin.name = "Anna".into();
            admin.last_name = "Administrator".into();
            admin.work_position = "Portal administrator".into();
        }
        if let Some(u) = users.iter_mut().find(|u| u.id == 57) {
            // The user with hostile markup in a name field.
            u.last_name = HOSTILE_TEXT.to_owned();
        }
        if let Some(u) = users.iter_mut().find(|u| u.id == 58) {
            // The user whose name is a formula.
            u.name = FORMULA_TEXT.to_owned();
        }
        Directory { templates, users }
    }

    /// The template with this id.
    pub fn template(&self, id: u32) -> Option<&Template> {
        self.templates.iter().find(|t| t.id == id)
    }

    /// The user with this id.
    pub fn user(&self, id: UserId) -> Option<&User> {
        self.users.iter().find(|u| u.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_deterministic_and_has_unique_template_ids() {
        let a = Directory::generate(3);
        let b = Directory::generate(3);
        let ids: Vec<u32> = a.templates.iter().map(|t| t.id).collect();
        assert_eq!(ids, b.templates.iter().map(|t| t.id).collect::<Vec<_>>());
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), ids.len());
        assert!((28..=32).contains(&ids.len()), "about 30 templates");
        assert_eq!(a.users.len(), 60);
    }

    #[test]
    fn has_automation_templates_and_every_document_kind() {
        let d = Directory::generate(1);
        assert!(d.templates.iter().filter(|t| t.is_automation()).count() >= 5);
        let kinds = [
            "CCrmDocumentLead",
            "CCrmDocumentContact",
            "CCrmDocumentCompany",
            "CCrmDocumentDeal",
            "Bitrix\\Crm\\Integration\\BizProc\\Document\\Quote",
            "Bitrix\\Crm\\Integration\\BizProc\\Document\\SmartInvoice",
            "Bitrix\\Crm\\Integration\\BizProc\\Document\\Dynamic",
            "BizprocDocument",
            "Bitrix\\Lists\\BizprocDocumentLists",
            "Bitrix\\Disk\\BizProcDocument",
        ];
        for k in kinds {
            assert!(d.templates.iter().any(|t| t.kind.entity() == k), "{k}");
        }
    }

    #[test]
    fn document_ids_follow_the_fact_sheet() {
        assert_eq!(DocumentKind::Dynamic(147).document_id(1), "DYNAMIC_147_1");
        assert_eq!(DocumentKind::SmartInvoice.document_id(3), "SMART_INVOICE_3");
        assert_eq!(DocumentKind::Disk(3).document_id(777), "777");
        assert_eq!(DocumentKind::ListsFeed(26).document_type(), "iblock_26");
    }
}
