//! What can go wrong between the app and the portal page.

use thiserror::Error;

use crate::domain::frame::{Command, NotInFrame};
use crate::domain::i18n::{fill, Lang};
use crate::domain::methods::session::SessionError;

/// A failure of the frame protocol, worded for the admin who reads it.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum FrameError {
    /// The page was not opened by a Bitrix24 portal (no or malformed
    /// `window.name`, or no parent window).
    #[error(
        "Workflow Monitor runs inside Bitrix24: open it from your portal's Applications menu ({0})"
    )]
    NotInFrame(#[from] NotInFrame),
    /// The portal page did not answer in time. It never answers a command
    /// it refuses, so this may also mean "refused".
    #[error(
        "the Bitrix24 page did not answer the app's \"{command}\" request in time; \
         it may have refused it. Reload the page and try again"
    )]
    Timeout {
        /// The command that got no answer.
        command: Command,
    },
    /// `refreshAuth` got no answer in time (10 s unless configured).
    #[error(
        "the Bitrix24 page did not renew the app's access token in time. Reload the page; \
         if this keeps happening, ask your Bitrix24 administrator to check that the app is \
         installed and that you may use it"
    )]
    RefreshTimeout,
    /// `setInstallFinish` got no answer and the portal page did not move on:
    /// the portal refuses it for non-administrators.
    #[error(
        "the Bitrix24 page did not confirm the end of the installation. Only a Bitrix24 \
         administrator can finish installing the app; reload the page and try again"
    )]
    InstallNotConfirmed,
    /// The portal answered `getInitData` or `refreshAuth` with data the app
    /// cannot use.
    #[error("the Bitrix24 page's answer could not be used: {0}")]
    BadAnswer(#[from] SessionError),
    /// The browser refused an operation the client needs.
    #[error("the browser refused to {action}")]
    Browser {
        /// What the client tried to do, in words.
        action: &'static str,
    },
}

impl FrameError {
    /// The message for the administrator, in `lang`. The technical detail
    /// of a malformed answer or a refused browser operation stays as the
    /// app wrote it (English): it is for whoever debugs the portal.
    pub fn message(&self, lang: Lang) -> String {
        let t = lang.texts();
        match self {
            FrameError::NotInFrame(_) => t.intro_inside_only.to_owned(),
            FrameError::Timeout { command } => {
                fill(t.frame_timeout, &[("command", command.as_str())])
            }
            FrameError::RefreshTimeout => t.frame_refresh_timeout.to_owned(),
            FrameError::InstallNotConfirmed => t.frame_install_not_confirmed.to_owned(),
            FrameError::BadAnswer(e) => fill(t.frame_bad_answer, &[("detail", &e.to_string())]),
            FrameError::Browser { .. } => fill(t.frame_browser, &[("detail", &self.to_string())]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_errors_read_in_the_admins_language() {
        let e = FrameError::Timeout {
            command: Command::GetInitData,
        };
        assert!(e
            .message(Lang::En)
            .contains("\"getInitData\" request in time"));
        assert!(e
            .message(Lang::Ru)
            .contains("запрос приложения «getInitData»"));
        assert!(FrameError::RefreshTimeout
            .message(Lang::Ru)
            .starts_with("Страница Битрикс24 вовремя не продлила"));
    }
}
