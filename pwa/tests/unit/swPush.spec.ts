import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { cacheSeenStore, firstSighting, onPush, SEEN_LIMIT, type PushPayload } from '@/sw-push'

/** The Cache API as a service worker has it (Node and happy-dom have none): named caches of responses. */
class MemoryCaches {
  readonly stored = new Map<string, Map<string, string>>()

  async open(name: string) {
    const cache = this.stored.get(name) ?? new Map<string, string>()
    this.stored.set(name, cache)
    return {
      match: async (key: string) => (cache.has(key) ? new Response(cache.get(key)) : undefined),
      put: async (key: string, response: Response) => void cache.set(key, await response.text()),
    }
  }
}

const nothingOnScreen = async () => [] as Notification[]

function pushEvent(payload: PushPayload) {
  const pending: Promise<unknown>[] = []
  const event = { data: { json: () => payload, text: () => JSON.stringify(payload) }, waitUntil: (p: Promise<unknown>) => pending.push(p) }
  return { event: event as unknown as PushEvent, done: () => Promise.all(pending) }
}

describe('a push message is shown once', () => {
  let caches: MemoryCaches

  beforeEach(() => {
    caches = new MemoryCaches()
  })

  const store = () => cacheSeenStore(caches as unknown as CacheStorage)

  it('shows a message id the first time and drops a copy of it', async () => {
    expect(await firstSighting('m1', store(), nothingOnScreen)).toBe(true)
    expect(await firstSighting('m1', store(), nothingOnScreen)).toBe(false)
    expect(await firstSighting('m2', store(), nothingOnScreen)).toBe(true)
  })

  it('remembers across a restart of the service worker', async () => {
    expect(await firstSighting('m1', store(), nothingOnScreen)).toBe(true)
    vi.resetModules()
    const fresh = await import('@/sw-push')
    expect(await fresh.firstSighting('m1', fresh.cacheSeenStore(caches as unknown as CacheStorage), nothingOnScreen)).toBe(false)
  })

  it('keeps only the last ids', async () => {
    for (let n = 0; n <= SEEN_LIMIT; n++) await firstSighting(`m${n}`, store(), nothingOnScreen)
    expect(await store().load()).toHaveLength(SEEN_LIMIT)
    expect(await firstSighting('m0', store(), nothingOnScreen)).toBe(true)
    expect(await firstSighting(`m${SEEN_LIMIT}`, store(), nothingOnScreen)).toBe(false)
  })

  it('drops a copy of a notification still on screen even when the list was lost', async () => {
    const onScreen = async () => [{ data: { messageId: 'm1' } } as Notification]
    expect(await firstSighting('m1', store(), onScreen)).toBe(false)
  })

  it('rings once for two copies that arrive together', async () => {
    const answers = await Promise.all([1, 2, 3].map(() => firstSighting('m1', store(), nothingOnScreen)))
    expect(answers.sort()).toEqual([false, false, true])
  })

  it('shows messages without an id, and shows when the storage fails', async () => {
    expect(await firstSighting(undefined, store(), nothingOnScreen)).toBe(true)
    const broken = { load: () => Promise.reject(new Error('quota')), save: () => Promise.resolve() }
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    expect(await firstSighting('m1', broken, nothingOnScreen)).toBe(true)
    expect(warn).toHaveBeenCalledOnce()
    warn.mockRestore()
  })
})

describe('the push handler', () => {
  const showNotification = vi.fn(async () => undefined)

  beforeEach(() => {
    showNotification.mockClear()
    vi.stubGlobal('caches', new MemoryCaches())
    vi.stubGlobal('registration', { showNotification, getNotifications: nothingOnScreen })
    vi.stubGlobal('clients', { matchAll: async () => [] })
  })

  afterEach(() => vi.unstubAllGlobals())

  it('does not ring again for a message sent twice', async () => {
    const payload = { title: '停水通知', notice_id: 7, message_id: 'abc' }
    for (const copy of [payload, payload]) {
      const { event, done } = pushEvent(copy)
      onPush(event)
      await done()
    }
    expect(showNotification).toHaveBeenCalledOnce()
    expect(showNotification.mock.calls[0]).toMatchObject(['停水通知', { tag: 'notice-7', data: { messageId: 'abc' } }])
    const { event, done } = pushEvent({ ...payload, message_id: 'reminder' })
    onPush(event)
    await done()
    expect(showNotification).toHaveBeenCalledTimes(2)
  })
})
