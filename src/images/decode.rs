//! Bytes → a picture for the terminal. The dimensions are read from the
//! header and checked before anything is decoded, and the decoder runs under
//! limits, so a small file claiming a huge picture (a decoding bomb) is
//! refused instead of eating the memory. Runs on a blocking thread.

use std::io::Cursor;

use image::{DynamicImage, ImageFormat, ImageReader, Limits};
use ratatui::layout::Size;
use ratatui_image::Resize;
use ratatui_image::picker::Picker;

/// Widest or tallest picture decoded, in pixels.
pub const MAX_SIDE: u32 = 8192;
/// Most pixels in a picture decoded (≈ 160 MB as RGBA).
pub const MAX_PIXELS: u64 = 40_000_000;
/// Most memory the decoder may take.
const MAX_ALLOC: u64 = 256 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DecodeError {
    #[error("not a picture tidings can show (PNG, JPEG, GIF or WebP)")]
    Format,
    #[error("picture too large ({0}×{1} pixels)")]
    TooLarge(u32, u32),
    #[error("broken picture: {0}")]
    Broken(String),
}

fn reader(bytes: &[u8]) -> Result<ImageReader<Cursor<&[u8]>>, DecodeError> {
    let reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|_| DecodeError::Format)?;
    match reader.format() {
        Some(ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::Gif | ImageFormat::WebP) => Ok(reader),
        _ => Err(DecodeError::Format),
    }
}

/// The picture in `bytes` (a GIF's first frame), refused when its header
/// claims more than `MAX_SIDE`/`MAX_PIXELS`.
pub fn decode(bytes: &[u8]) -> Result<DynamicImage, DecodeError> {
    let (w, h) = reader(bytes)?.into_dimensions().map_err(|e| DecodeError::Broken(e.to_string()))?;
    if w == 0 || h == 0 {
        return Err(DecodeError::Broken("empty picture".into()));
    }
    if w > MAX_SIDE || h > MAX_SIDE || u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(DecodeError::TooLarge(w, h));
    }
    let mut reader = reader(bytes)?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    reader.decode().map_err(|e| DecodeError::Broken(e.to_string()))
}

/// `bytes` decoded and encoded for the terminal, fitted into `cols`×`rows` cells.
pub fn picture(bytes: &[u8], picker: &Picker, cols: u16, rows: u16) -> Result<super::Picture, String> {
    let image = decode(bytes).map_err(|e| e.to_string())?;
    let protocol = picker.new_protocol(image, Size::new(cols, rows), Resize::Fit(None)).map_err(|e| e.to_string())?;
    Ok(super::Picture(std::sync::Arc::new(protocol)))
}
