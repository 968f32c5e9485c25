//! Boots the app: the panic screen, then the Leptos root.

fn main() {
    workflow_monitor::ui::panic_screen::install();
    leptos::mount::mount_to_body(workflow_monitor::ui::App);
}
