//! Русский каталог (the Russian catalogue).

use super::{Plural, Texts};

/// Russian.
pub static RU: Texts = Texts {
    // ---------------------------------------------------------- app shell
    app_title: "Монитор бизнес-процессов",
    running_workflows: "Запущенные бизнес-процессы",
    // -------------------------------------------------------------- table
    // -------------------------------------------------------------- names
    user_system: "Система / автоматизация",
    user_fallback: "Пользователь {id}",
    user_title: "ID пользователя {id}",
    template_robot: "Правило автоматизации или робот (шаблон {id})",
    template_fallback: "Шаблон {id}",
    template_title: "ID шаблона {id}",
    name_pending: "Имя загружается…",
    names_templates_failed:
        "Не удалось загрузить названия шаблонов, поэтому показаны их ID. {error}",
    names_users_failed: "Не удалось загрузить имена пользователей, поэтому показаны их ID. {error}",
    // ---------------------------------------------------------- documents
    doc_deal: "Сделка {id}",
    doc_lead: "Лид {id}",
    doc_contact: "Контакт {id}",
    doc_company: "Компания {id}",
    doc_estimate: "Предложение {id}",
    doc_invoice: "Счёт {id}",
    doc_smart_process: "Смарт-процесс {type} · элемент {id}",
    doc_drive_file: "Файл Диска {id}",
    doc_list_element: "Элемент списка {id}",
    doc_group_list_element: "Элемент списка группы {id}",
    kind_deal: "Сделка",
    kind_lead: "Лид",
    kind_contact: "Контакт",
    kind_company: "Компания",
    kind_estimate: "Предложение",
    kind_invoice: "Счёт",
    kind_smart_process: "Смарт-процесс",
    kind_drive_file: "Файл Диска",
    kind_lists: "Списки",
    kind_list_in_group: "Список в группе",
    module_crm: "CRM",
    module_disk: "Диск",
    module_lists: "Списки",
    doc_show_all: "Показать все процессы документа «{document}»",
    doc_show_all_raw: "Показать все процессы этого документа",
    // --------------------------------------------------------------- time
    // ------------------------------------------------------------ signals
    // --------------------------------------------------------------- look
    // ------------------------------------------------------------ plurals
    workflows: Plural {
        one: "{n} процесс",
        few: "{n} процесса",
        many: "{n} процессов",
    },
    // -------------------------------------------------- plurals: table
    // -------------------------------------------------- plurals: names
    // ---------------------------------------------- plurals: documents
    // --------------------------------------------------- plurals: time
    // ------------------------------------------------ plurals: signals
    // --------------------------------------------------- plurals: look
};
