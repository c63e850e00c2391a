/** How a still face image is presented to a detector (shared by the extraction and the peers pages). */
export interface FramingOptions {
  /** Side of the square canvas the image is drawn onto; 0 = the image at its own size. */
  canvasSize: number;
  /** Fraction of the canvas side left as (mid-grey) margin around the image, per side. */
  margin: number;
}

/**
 * Draws `bitmap` onto `canvas`: centred on a mid-grey square of `canvasSize` with `margin` per side (small, tight
 * crops such as muxspace's are found far more often that way), or copied as is when `canvasSize` is 0.
 */
export function drawFramed(canvas: HTMLCanvasElement, bitmap: ImageBitmap, framing: FramingOptions): HTMLCanvasElement {
  const context = canvas.getContext('2d')!;
  const size = framing.canvasSize;
  if (!size) {
    canvas.width = bitmap.width;
    canvas.height = bitmap.height;
    context.drawImage(bitmap, 0, 0);
    return canvas;
  }
  canvas.width = size;
  canvas.height = size;
  context.fillStyle = 'rgb(128,128,128)';
  context.fillRect(0, 0, size, size);
  const inner = size * (1 - 2 * framing.margin);
  const scale = inner / Math.max(bitmap.width, bitmap.height);
  const w = bitmap.width * scale;
  const h = bitmap.height * scale;
  context.imageSmoothingQuality = 'high';
  context.drawImage(bitmap, (size - w) / 2, (size - h) / 2, w, h);
  return canvas;
}
