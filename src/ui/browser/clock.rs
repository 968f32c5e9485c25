//! The browser's clock and time zone, read once per refresh and handed to
//! the domain as a [`TimeContext`] (the domain never reads a clock).

use crate::domain::time::TimeContext;

/// Now, and the administrator's UTC offset in minutes east.
pub fn time_context() -> TimeContext {
    #[cfg(target_arch = "wasm32")]
    {
        let date = js_sys::Date::new_0();
        TimeContext {
            now: (date.get_time() / 1000.0) as i64,
            // getTimezoneOffset() is minutes *west* of UTC.
            offset_minutes: -(date.get_timezone_offset() as i32),
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        TimeContext {
            now,
            offset_minutes: 0,
        }
    }
}
