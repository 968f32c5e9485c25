//! End-to-end tests in headless Chromium against the portal emulator. (Being written.)
