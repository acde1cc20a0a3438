// Photos from phone cameras are several megabytes; on a weak network they are shrunk here before upload.
// The server re-encodes them anyway (and strips EXIF), so this only saves the wait.

export const MAX_SIDE = 1600
export const QUALITY = 0.8

/** The size to draw at: the long side at most `max`, never enlarged. */
export function fitWithin(width: number, height: number, max = MAX_SIDE): { width: number; height: number } {
  const scale = Math.min(1, max / Math.max(width, height))
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) }
}

async function decode(file: Blob): Promise<ImageBitmap> {
  // from-image: the EXIF orientation is applied as the camera meant (the default in today's browsers).
  return createImageBitmap(file, { imageOrientation: 'from-image' })
}

function toJpeg(canvas: HTMLCanvasElement): Promise<Blob | null> {
  return new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', QUALITY))
}

/**
 * A JPEG no larger than 1600 px on its long side, or the file itself when the browser cannot decode it
 * (HEIC on most browsers: the server converts it) or when shrinking would not make it smaller.
 */
export async function shrinkPhoto(file: File): Promise<Blob> {
  let bitmap: ImageBitmap
  try {
    bitmap = await decode(file)
  } catch {
    return file // not decodable here; the server says whether it is a photo
  }
  const size = fitWithin(bitmap.width, bitmap.height)
  const canvas = document.createElement('canvas')
  canvas.width = size.width
  canvas.height = size.height
  const ctx = canvas.getContext('2d')
  if (!ctx) return file
  ctx.fillStyle = '#fff' // a transparent PNG turns white, not black, as JPEG
  ctx.fillRect(0, 0, size.width, size.height)
  ctx.drawImage(bitmap, 0, 0, size.width, size.height)
  bitmap.close()
  const blob = await toJpeg(canvas)
  return blob && blob.size < file.size ? blob : file
}
