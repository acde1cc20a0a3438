import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { onWorkerMessage, pollWhileVisible } from '@/composables/visiblePoll'

vi.mock('@/api/notices', () => ({ unreadCount: vi.fn() }))
vi.mock('@/composables/usePush', () => ({ isPushOn: vi.fn(), syncPush: vi.fn() }))

const notices = await import('@/api/notices')
const push = await import('@/composables/usePush')
const { useNoticesStore } = await import('@/stores/notices')
const { useSessionStore } = await import('@/stores/session')

/** A page whose visibility the test sets, as the browser does when the phone locks or the tab changes. */
class FakePage extends EventTarget {
  visibilityState: DocumentVisibilityState = 'visible'
  set(state: DocumentVisibilityState): void {
    this.visibilityState = state
    this.dispatchEvent(new Event('visibilitychange'))
  }
}

/** navigator.serviceWorker, as far as the page uses it: a target of the worker's messages. */
function fakeWorker(): EventTarget {
  const worker = new EventTarget()
  Object.defineProperty(navigator, 'serviceWorker', { value: worker, configurable: true })
  return worker
}

const workerSays = (worker: EventTarget, data: unknown) => worker.dispatchEvent(new MessageEvent('message', { data }))

beforeEach(() => vi.useFakeTimers())
afterEach(() => {
  vi.useRealTimers()
  Reflect.deleteProperty(navigator, 'serviceWorker')
})

describe('pollWhileVisible', () => {
  it('refreshes on the interval while the page is visible', () => {
    const page = new FakePage()
    const refresh = vi.fn()
    pollWhileVisible(refresh, () => 1000, page as unknown as Document)
    vi.advanceTimersByTime(999)
    expect(refresh).not.toHaveBeenCalled()
    vi.advanceTimersByTime(2001)
    expect(refresh).toHaveBeenCalledTimes(3)
  })

  it('does nothing while hidden, and refreshes at once when shown again', () => {
    const page = new FakePage()
    const refresh = vi.fn()
    pollWhileVisible(refresh, () => 1000, page as unknown as Document)
    page.set('hidden')
    vi.advanceTimersByTime(60_000)
    expect(refresh).not.toHaveBeenCalled()
    expect(vi.getTimerCount()).toBe(0)
    page.set('visible')
    expect(refresh).toHaveBeenCalledTimes(1)
    vi.advanceTimersByTime(1000)
    expect(refresh).toHaveBeenCalledTimes(2)
  })

  it('starts hidden without a timer', () => {
    const page = new FakePage()
    page.visibilityState = 'hidden'
    const refresh = vi.fn()
    pollWhileVisible(refresh, () => 1000, page as unknown as Document)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('asks for the interval each time, so it can grow once pushes arrive', () => {
    const page = new FakePage()
    const refresh = vi.fn()
    let every = 1000
    pollWhileVisible(refresh, () => every, page as unknown as Document)
    every = 10_000 // read when the next timer is set, after this first refresh
    vi.advanceTimersByTime(1000)
    expect(refresh).toHaveBeenCalledTimes(1)
    vi.advanceTimersByTime(9_999)
    expect(refresh).toHaveBeenCalledTimes(1)
    vi.advanceTimersByTime(1)
    expect(refresh).toHaveBeenCalledTimes(2)
  })

  it('stops', () => {
    const page = new FakePage()
    const refresh = vi.fn()
    const stop = pollWhileVisible(refresh, () => 1000, page as unknown as Document)
    stop()
    page.set('hidden')
    page.set('visible')
    vi.advanceTimersByTime(5000)
    expect(refresh).not.toHaveBeenCalled()
  })
})

describe('onWorkerMessage', () => {
  it('hands over only the messages of its type', () => {
    const worker = fakeWorker()
    const handler = vi.fn()
    const stop = onWorkerMessage('PUSH_RECEIVED', handler)
    workerSays(worker, { type: 'PUSH_RESUBSCRIBED' })
    workerSays(worker, { type: 'PUSH_RECEIVED', noticeId: 4 })
    expect(handler).toHaveBeenCalledExactlyOnceWith({ type: 'PUSH_RECEIVED', noticeId: 4 })
    stop()
    workerSays(worker, { type: 'PUSH_RECEIVED', noticeId: 5 })
    expect(handler).toHaveBeenCalledTimes(1)
  })

  it('is harmless where there is no service worker', () => {
    expect(() => onWorkerMessage('PUSH_RECEIVED', vi.fn())()).not.toThrow()
  })
})

describe('notices store', () => {
  beforeEach(() => {
    localStorage.clear()
    setActivePinia(createPinia())
    vi.mocked(notices.unreadCount).mockReset().mockResolvedValue({ unread: 2 })
    vi.mocked(push.isPushOn).mockReset().mockResolvedValue(false)
    vi.mocked(push.syncPush).mockReset().mockResolvedValue(undefined)
    useSessionStore().setMe({
      id: 1, phone: '13900000001', name: '赵大妈', locale: 'zh-CN', care_mode: false, is_admin: false,
      memberships: [{ community: { id: 7, name: '幸福里社区' }, role: 'resident', title: null }], residencies: [],
    })
  })

  it('refreshes the count and the lists when the service worker reports a push', async () => {
    const worker = fakeWorker()
    const store = useNoticesStore()
    store.start()
    await vi.waitFor(() => expect(store.unread).toBe(2))
    const version = store.version
    vi.mocked(notices.unreadCount).mockResolvedValue({ unread: 3 })
    workerSays(worker, { type: 'PUSH_RECEIVED', noticeId: 9 })
    await vi.waitFor(() => expect(store.unread).toBe(3))
    expect(store.version).toBeGreaterThan(version)
    expect(notices.unreadCount).toHaveBeenLastCalledWith(7)
  })

  it('asks once for those asking together and once more for those asking meanwhile; a first count reloads no list', async () => {
    let answer: (count: { unread: number }) => void = () => undefined
    vi.mocked(notices.unreadCount).mockImplementation(() => new Promise((done) => (answer = done)))
    const store = useNoticesStore()
    const first = store.refreshUnread()
    const meanwhile = [store.refreshUnread(), store.refreshUnread()]
    expect(notices.unreadCount).toHaveBeenCalledTimes(1)
    answer({ unread: 2 })
    await first
    await vi.waitFor(() => expect(notices.unreadCount).toHaveBeenCalledTimes(2))
    answer({ unread: 3 })
    await Promise.all(meanwhile)
    expect(notices.unreadCount).toHaveBeenCalledTimes(2)
    expect(store.unread).toBe(3)
    expect(store.version).toBe(1) // the rise from 2 to 3; not the first count's rise over what was cached
  })

  it('polls every minute without push, and only as a safety net once pushes arrive', async () => {
    const worker = fakeWorker()
    const store = useNoticesStore()
    store.start()
    await vi.waitFor(() => expect(notices.unreadCount).toHaveBeenCalledTimes(1))
    await vi.advanceTimersByTimeAsync(60_000)
    expect(notices.unreadCount).toHaveBeenCalledTimes(2)
    workerSays(worker, { type: 'PUSH_RECEIVED' })
    expect(notices.unreadCount).toHaveBeenCalledTimes(3)
    await vi.advanceTimersByTimeAsync(60_000) // the timer set before the push
    await vi.advanceTimersByTimeAsync(5 * 60_000)
    expect(notices.unreadCount).toHaveBeenCalledTimes(4)
  })
})
