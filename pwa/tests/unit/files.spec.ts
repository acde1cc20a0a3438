import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError } from '@/api/client'
import { uploadFile } from '@/api/files'
import { fitWithin, shrinkPhoto } from '@/composables/shrinkPhoto'

const fetchMock = vi.fn()

beforeEach(() => {
  document.cookie = 'csrf_token=tok123; path=/'
  fetchMock.mockReset()
  vi.stubGlobal('fetch', fetchMock)
})

afterEach(() => vi.unstubAllGlobals())

describe('uploadFile', () => {
  it('posts multipart form data with the CSRF header and lets the browser set the boundary', async () => {
    fetchMock.mockResolvedValue(new Response(JSON.stringify({ id: 'a'.repeat(32) }), { status: 201 }))
    const stored = await uploadFile(7, 'proxy_consent', new Blob(['x'], { type: 'image/jpeg' }), 'form.jpg')
    const [url, init] = fetchMock.mock.calls[0]
    expect(url).toBe('/api/v1/communities/7/files')
    expect(init.headers['X-CSRF-Token']).toBe('tok123')
    expect(init.headers['Content-Type']).toBeUndefined()
    expect(init.body).toBeInstanceOf(FormData)
    expect(init.body.get('purpose')).toBe('proxy_consent')
    expect(init.body.get('file')).toBeTruthy()
    expect(stored.id).toBe('a'.repeat(32))
  })

  it('turns the server JSON error into an ApiError', async () => {
    const body = { code: 'not_an_image', status: 422, message: 'no', errors: { file: ['no'] } }
    fetchMock.mockResolvedValue(new Response(JSON.stringify(body), { status: 422 }))
    const err = await uploadFile(7, 'proxy_consent', new Blob(['x'])).catch((e) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect([err.code, err.errors.file]).toEqual(['not_an_image', ['no']])
  })
})

describe('shrinkPhoto', () => {
  it('fits the long side within 1600 px and never enlarges', () => {
    expect(fitWithin(4032, 3024)).toEqual({ width: 1600, height: 1200 })
    expect(fitWithin(3024, 4032)).toEqual({ width: 1200, height: 1600 })
    expect(fitWithin(800, 600)).toEqual({ width: 800, height: 600 })
    expect(fitWithin(10000, 1)).toEqual({ width: 1600, height: 1 })
  })

  it('sends the file as it is when the browser cannot decode it (HEIC: the server converts it)', async () => {
    vi.stubGlobal('createImageBitmap', vi.fn().mockRejectedValue(new Error('cannot decode')))
    const heic = new File(['....ftypheic'], 'IMG_0001.HEIC', { type: 'image/heic' })
    expect(await shrinkPhoto(heic)).toBe(heic)
  })
})
