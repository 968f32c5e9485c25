//! Random bits for callback ids, from the browser.

use web_sys::Window;

/// 128 bits from `crypto.getRandomValues`, or from `Math.random` where the
/// Web Crypto API is missing. They only make callback ids hard to guess;
/// the origin check is what keeps foreign replies out.
pub(super) fn random_u128(window: &Window) -> u128 {
    let mut bytes = [0u8; 16];
    let filled = window
        .crypto()
        .is_ok_and(|crypto| crypto.get_random_values_with_u8_array(&mut bytes).is_ok());
    if filled {
        return u128::from_le_bytes(bytes);
    }
    (0..4).fold(0u128, |acc, _| {
        // Math.random has at least 32 good bits per call.
        let word = (js_sys::Math::random() * 4_294_967_296.0) as u32;
        (acc << 32) | u128::from(word)
    })
}
