//! Articles: HTML → styled terminal lines, and the sanitiser every piece of
//! network text passes through before it is shown.

pub mod plain;
pub mod render;
pub mod sanitize;
