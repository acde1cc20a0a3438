/// <reference lib="webworker" />
// Web Push in the service worker: show the notice, open it when tapped, keep the subscription alive.
declare let self: ServiceWorkerGlobalScope

/** What the server sends (backend/notices/services.py send_push): at most 3,993 bytes of JSON. */
export interface PushPayload {
  title?: string
  body?: string
  url?: string
  tag?: string
  urgent?: boolean
  notice_id?: number
  community_id?: number
  category?: string
  /** The same for every copy of one message to one device: a copy sent again is not shown again. */
  message_id?: string
}

interface PushSubscriptionChangeEvent extends ExtendableEvent {
  readonly oldSubscription: PushSubscription | null
  readonly newSubscription: PushSubscription | null
}

const ICON = '/icons/icon-192.png'

export function readPayload(event: PushEvent): PushPayload {
  try {
    return event.data?.json() ?? {}
  } catch {
    return { body: event.data?.text() }
  }
}

export function notificationFor(data: PushPayload): [string, NotificationOptions & { renotify?: boolean }] {
  return [
    data.title ?? '社区云',
    {
      body: data.body,
      icon: ICON,
      badge: ICON,
      lang: 'zh-CN',
      // One notification per notice: a reminder replaces the first one, and rings again.
      tag: data.tag ?? (data.notice_id ? `notice-${data.notice_id}` : undefined),
      renotify: Boolean(data.tag ?? data.notice_id),
      requireInteraction: Boolean(data.urgent),
      data: { url: data.url ?? '/notices', noticeId: data.notice_id, messageId: data.message_id },
    },
  ]
}

async function tellWindows(message: unknown): Promise<void> {
  for (const client of await self.clients.matchAll({ type: 'window' })) client.postMessage(message)
}

export function onPush(event: PushEvent): void {
  event.waitUntil(showOnce(readPayload(event)))
}

async function showOnce(data: PushPayload): Promise<void> {
  // The server sends at least once: after a worker dies, a message it had sent may come again.
  if (!(await firstSighting(data.message_id, seenStore(), () => self.registration.getNotifications()))) return
  await Promise.all([
    self.registration.showNotification(...notificationFor(data)),
    tellWindows({ type: 'PUSH_RECEIVED', noticeId: data.notice_id }),
  ])
}

// Message ids already shown, kept in the Cache API: it outlives the worker, which the browser stops
// between pushes. The last SEEN_LIMIT are enough: a copy comes again within minutes, not days.
export const SEEN_LIMIT = 200
const SEEN_CACHE = 'push-seen-v1'
const SEEN_KEY = '/__push-seen__'

export interface SeenStore {
  load(): Promise<string[]>
  save(ids: string[]): Promise<void>
}

export function cacheSeenStore(storage: CacheStorage): SeenStore {
  return {
    async load() {
      const stored = await (await storage.open(SEEN_CACHE)).match(SEEN_KEY)
      return stored ? ((await stored.json()) as string[]) : []
    },
    async save(ids) {
      const body = JSON.stringify(ids)
      await (await storage.open(SEEN_CACHE)).put(SEEN_KEY, new Response(body, { headers: { 'Content-Type': 'application/json' } }))
    },
  }
}

function seenStore(): SeenStore {
  return cacheSeenStore(self.caches)
}

let seenQueue: Promise<unknown> = Promise.resolve()

/**
 * True the first time a message id comes, false for a copy of one already shown: remembered, or
 * still on screen. Pushes are handled one at a time here, so two copies arriving together ring once.
 */
export function firstSighting(
  id: string | undefined,
  store: SeenStore,
  shown: () => Promise<readonly Notification[]>,
): Promise<boolean> {
  if (!id) return Promise.resolve(true)
  const result = seenQueue.then(() => remember(id, store, shown))
  seenQueue = result.catch(() => undefined)
  return result
}

async function remember(id: string, store: SeenStore, shown: () => Promise<readonly Notification[]>): Promise<boolean> {
  try {
    const ids = await store.load()
    if (ids.includes(id) || (await shown()).some((n) => n.data?.messageId === id)) return false
    await store.save([...ids, id].slice(-SEEN_LIMIT))
  } catch (err) {
    // Better to ring twice than to miss a notice because the browser's storage failed.
    console.warn('push: could not check for a repeated message', err)
  }
  return true
}

export function onNotificationClick(event: NotificationEvent): void {
  event.notification.close()
  const url: string = event.notification.data?.url ?? '/notices'
  event.waitUntil(openOrFocus(new URL(url, self.location.origin).href))
}

async function openOrFocus(url: string): Promise<void> {
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true })
  const same = windows.find((w) => w.url === url)
  if (same) return void (await same.focus())
  for (const win of windows) {
    try {
      // Navigate first: focusing needs the click's permission, navigating an app window does not.
      const shown = (await win.navigate(url)) ?? win
      await shown.focus().catch(() => undefined)
      return
    } catch {
      // Not controlled by this worker (cannot be navigated from here): try the next, else open one.
    }
  }
  await self.clients.openWindow(url)
}

/** The browser renewed (or dropped) the subscription: subscribe again and tell the server. */
export function onPushSubscriptionChange(event: Event): void {
  const change = event as PushSubscriptionChangeEvent
  change.waitUntil(resubscribe(change.oldSubscription, change.newSubscription))
}

async function resubscribe(old: PushSubscription | null, fresh: PushSubscription | null): Promise<void> {
  const key = old?.options.applicationServerKey ?? (await serverKey())
  const sub = fresh ?? (await self.registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key }))
  const json = sub.toJSON()
  const body = { endpoint: sub.endpoint, keys: json.keys, old_endpoint: old?.endpoint }
  const token = await csrfToken()
  if (token) {
    const res = await fetch('/api/v1/push/subscriptions', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': token },
      body: JSON.stringify(body),
    }).catch(() => null)
    if (res?.ok) return
  }
  // No way to send it from here (no cookie access in this browser, or offline): the app sends the
  // current subscription the next time it starts (see usePush.syncPush).
  await tellWindows({ type: 'PUSH_RESUBSCRIBED' })
}

async function serverKey(): Promise<ArrayBuffer> {
  const { public_key } = await (await fetch('/api/v1/push/vapid-public-key')).json()
  const raw = atob(public_key.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (public_key.length % 4)) % 4))
  return Uint8Array.from(raw, (c) => c.charCodeAt(0)).buffer
}

async function csrfToken(): Promise<string | null> {
  const store = (self as unknown as { cookieStore?: { get(name: string): Promise<{ value: string } | null> } }).cookieStore
  return (await store?.get('csrf_token').catch(() => null))?.value ?? null
}
