import { afterEach, describe, expect, it } from 'vitest'
import { cameraErrorKind, makeDetector } from '@/composables/qrCamera'

const g = globalThis as { BarcodeDetector?: unknown }

afterEach(() => {
  delete g.BarcodeDetector
})

describe('QR camera', () => {
  it('uses the browser’s BarcodeDetector when it reads QR codes', async () => {
    g.BarcodeDetector = class {
      static getSupportedFormats = async () => ['qr_code', 'ean_13']
      async detect() {
        return [{ rawValue: 'https://cc.example/volunteer/scan?t=x' }]
      }
    }
    const detect = await makeDetector()
    expect(await detect({} as HTMLVideoElement)).toBe('https://cc.example/volunteer/scan?t=x')
  })

  it('falls back to jsQR on a canvas without one, or when it cannot read QR codes', async () => {
    g.BarcodeDetector = class {
      static getSupportedFormats = async () => ['ean_13']
    }
    const detect = await makeDetector()
    // A video with no frame yet reads as nothing, not as an error.
    expect(await detect({ videoWidth: 0, videoHeight: 0 } as HTMLVideoElement)).toBeNull()
  })

  it('says why the camera would not open', () => {
    expect(cameraErrorKind({ name: 'NotAllowedError' })).toBe('denied')
    expect(cameraErrorKind({ name: 'NotFoundError' })).toBe('missing')
    expect(cameraErrorKind(new Error('boom'))).toBe('failed')
    expect(cameraErrorKind(null)).toBe('failed')
  })
})
