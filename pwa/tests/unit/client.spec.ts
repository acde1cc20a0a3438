import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError, api, prefetch, readCookie, setUnauthorizedHandler } from '@/api/client'

function json(status: number, body: unknown): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  })
}

function clearCookies(): void {
  for (const c of document.cookie.split(';')) {
    const name = c.split('=')[0].trim()
    if (name) document.cookie = `${name}=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/`
  }
}

const fetchMock = vi.fn()

beforeEach(() => {
  clearCookies()
  fetchMock.mockReset()
  vi.stubGlobal('fetch', fetchMock)
})

afterEach(() => vi.unstubAllGlobals())

describe('api client', () => {
  it("takes boot.js's early answer for its first ask only, then asks afresh", async () => {
    const early = Promise.resolve(json(200, { id: 7 }))
    ;(window as { __prefetched?: Record<string, Promise<Response>> }).__prefetched = { '/auth/me': early }
    fetchMock.mockResolvedValue(json(200, { id: 8 }))
    expect(await api.get('/auth/me')).toEqual({ id: 7 })
    expect(fetchMock).not.toHaveBeenCalled()
    expect(await api.get('/auth/me')).toEqual({ id: 8 })
    expect(fetchMock).toHaveBeenCalledTimes(1)
  })

  it('meets an early failure as its own network error', async () => {
    const early = Promise.reject(new TypeError('Failed to fetch'))
    early.catch(() => {})
    ;(window as { __prefetched?: Record<string, Promise<Response>> }).__prefetched = { '/auth/me': early }
    await expect(api.get('/auth/me')).rejects.toMatchObject({ code: 'network_error', status: 0 })
  })

  it("takes a screen's prefetched answer, query and all, once; the body is read by then", async () => {
    fetchMock.mockResolvedValueOnce(json(200, { items: [1] }))
    await prefetch('/communities/1/notices', { limit: 20, cursor: undefined })
    expect(fetchMock).toHaveBeenCalledWith('/api/v1/communities/1/notices?limit=20', expect.anything())
    fetchMock.mockImplementation(async () => json(200, { items: [2] }))
    expect(await api.get('/communities/1/notices', { query: { limit: 10 } })).toEqual({ items: [2] })
    expect(await api.get('/communities/1/notices', { query: { limit: 20 } })).toEqual({ items: [1] })
    expect(await api.get('/communities/1/notices', { query: { limit: 20 } })).toEqual({ items: [2] })
    expect(fetchMock).toHaveBeenCalledTimes(3)
  })

  it('meets a prefetched refusal as if it had asked itself', async () => {
    fetchMock.mockResolvedValueOnce(json(403, { code: 'forbidden', message: 'No.' }))
    await prefetch('/communities/2/notices')
    await expect(api.get('/communities/2/notices')).rejects.toMatchObject({ code: 'forbidden', status: 403 })
    expect(fetchMock).toHaveBeenCalledTimes(1)
  })

  it('reads cookies by name', () => {
    document.cookie = 'other=1; path=/'
    document.cookie = 'csrf_token=abc%3D; path=/'
    expect(readCookie('csrf_token')).toBe('abc=')
    expect(readCookie('missing')).toBeNull()
  })

  it('sends the CSRF cookie as X-CSRF-Token on writes, same-origin credentials', async () => {
    document.cookie = 'csrf_token=tok123; path=/'
    fetchMock.mockResolvedValue(json(200, { id: 1 }))
    await api.post('/auth/login', { phone: '13800000001', password: 'x' })
    const [url, init] = fetchMock.mock.calls[0]
    expect(url).toBe('/api/v1/auth/login')
    expect(init.method).toBe('POST')
    expect(init.credentials).toBe('same-origin')
    expect(init.headers['X-CSRF-Token']).toBe('tok123')
    expect(init.headers['Content-Type']).toBe('application/json')
    expect(JSON.parse(init.body)).toEqual({ phone: '13800000001', password: 'x' })
  })

  it('sends no CSRF header on reads and builds the query string', async () => {
    document.cookie = 'csrf_token=tok123; path=/'
    fetchMock.mockResolvedValue(json(200, []))
    await api.get('/communities/1/residencies', { query: { status: 'pending', skip: undefined } })
    const [url, init] = fetchMock.mock.calls[0]
    expect(url).toBe('/api/v1/communities/1/residencies?status=pending')
    expect(init.headers['X-CSRF-Token']).toBeUndefined()
  })

  it('fetches a CSRF cookie first when there is none', async () => {
    fetchMock.mockImplementation(async (url: string) => {
      if (url === '/api/v1/auth/csrf') {
        document.cookie = 'csrf_token=fresh; path=/'
        return new Response(null, { status: 204 })
      }
      return new Response(null, { status: 204 })
    })
    await api.del('/communities/1/invites/2')
    expect(fetchMock.mock.calls[0][0]).toBe('/api/v1/auth/csrf')
    expect(fetchMock.mock.calls[1][1].headers['X-CSRF-Token']).toBe('fresh')
  })

  it('retries once with a fresh token after csrf_failed', async () => {
    document.cookie = 'csrf_token=stale; path=/'
    fetchMock
      .mockResolvedValueOnce(json(403, { code: 'csrf_failed', status: 403, message: 'x', errors: {} }))
      .mockImplementationOnce(async () => {
        document.cookie = 'csrf_token=renewed; path=/'
        return new Response(null, { status: 204 })
      })
      .mockResolvedValueOnce(json(200, { ok: true }))
    await expect(api.post('/auth/logout')).resolves.toEqual({ ok: true })
    expect(fetchMock.mock.calls[2][1].headers['X-CSRF-Token']).toBe('renewed')
  })

  it('turns the JSON error shape into an ApiError', async () => {
    document.cookie = 'csrf_token=t; path=/'
    fetchMock.mockResolvedValue(
      json(422, { code: 'invite_invalid', status: 422, message: 'bad code', errors: { invite_code: ['bad code'] } }),
    )
    const err = (await api.post('/auth/register', {}).catch((e: unknown) => e)) as ApiError
    expect(err).toBeInstanceOf(ApiError)
    expect(err).toMatchObject({ code: 'invite_invalid', status: 422, message: 'bad code' })
    expect(err.errors).toEqual({ invite_code: ['bad code'] })
  })

  it('maps a non-JSON server failure and a network failure to stable codes', async () => {
    fetchMock.mockResolvedValueOnce(new Response('<html>', { status: 502 }))
    await expect(api.get('/x')).rejects.toMatchObject({ code: 'server_error', status: 502 })
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'))
    await expect(api.get('/x')).rejects.toMatchObject({ code: 'network_error', status: 0 })
  })

  it('sends the user to login with the return path on 401', async () => {
    const handler = vi.fn()
    setUnauthorizedHandler(handler)
    window.history.pushState({}, '', '/staff/1/pending?x=1')
    fetchMock.mockResolvedValue(json(401, { code: 'unauthorized', status: 401, message: '', errors: {} }))
    await expect(api.get('/communities/1/invites')).rejects.toMatchObject({ code: 'unauthorized' })
    expect(handler).toHaveBeenCalledWith('/staff/1/pending?x=1')
  })

  it('does not redirect where a 401 is the expected answer', async () => {
    const handler = vi.fn()
    setUnauthorizedHandler(handler)
    document.cookie = 'csrf_token=t; path=/'
    fetchMock.mockResolvedValue(json(401, { code: 'invalid_credentials', status: 401, message: '', errors: {} }))
    await expect(api.post('/auth/login', {}, { redirectOn401: false })).rejects.toMatchObject({
      code: 'invalid_credentials',
    })
    expect(handler).not.toHaveBeenCalled()
  })

  it('uploads FormData without a JSON content type', async () => {
    document.cookie = 'csrf_token=t; path=/'
    fetchMock.mockResolvedValue(json(200, { created: 1 }))
    const form = new FormData()
    form.append('file', new Blob(['a,b']), 'x.csv')
    await api.upload('/communities/1/dwellings/import', form)
    const init = fetchMock.mock.calls[0][1]
    expect(init.body).toBe(form)
    expect(init.headers['Content-Type']).toBeUndefined()
    expect(init.headers['X-CSRF-Token']).toBe('t')
  })
})
