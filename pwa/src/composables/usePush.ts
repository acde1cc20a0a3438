import { ref } from 'vue'
import { ApiError } from '@/api/client'
import * as push from '@/api/push'
import { readCache, writeCache } from '@/composables/cache'

const ASKED_KEY = 'push:asked'
export const permission = ref<NotificationPermission | 'unsupported'>(currentPermission())

function currentPermission(): NotificationPermission | 'unsupported' {
  if (typeof window === 'undefined' || !('Notification' in window) || !('PushManager' in window)) return 'unsupported'
  if (!('serviceWorker' in navigator)) return 'unsupported'
  return Notification.permission
}

export const pushSupported = () => currentPermission() !== 'unsupported'

function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const raw = atob(base64url.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (base64url.length % 4)) % 4))
  const out = new Uint8Array(new ArrayBuffer(raw.length))
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i)
  return out
}

function toInput(sub: PushSubscription, oldEndpoint?: string): push.SubscriptionInput {
  const json = sub.toJSON()
  return {
    endpoint: sub.endpoint,
    keys: { p256dh: json.keys?.p256dh ?? '', auth: json.keys?.auth ?? '' },
    user_agent: navigator.userAgent.slice(0, 200),
    ...(oldEndpoint && oldEndpoint !== sub.endpoint ? { old_endpoint: oldEndpoint } : {}),
  }
}

async function currentSubscription(): Promise<PushSubscription | null> {
  const reg = await navigator.serviceWorker.ready
  return reg.pushManager.getSubscription()
}

/** Ask for permission (only ever after a tap), subscribe this device and tell the server. */
export async function enablePush(): Promise<boolean> {
  if (!pushSupported()) return false
  permission.value = await Notification.requestPermission()
  if (permission.value !== 'granted') return false
  const reg = await navigator.serviceWorker.ready
  const { public_key } = await push.vapidPublicKey()
  const sub =
    (await reg.pushManager.getSubscription()) ??
    (await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(public_key) }))
  await push.saveSubscription(toInput(sub))
  return true
}

export async function disablePush(): Promise<void> {
  const sub = pushSupported() ? await currentSubscription() : null
  if (!sub) return
  await push.removeSubscription(sub.endpoint).catch((err) => {
    if (!(err instanceof ApiError && err.status === 404)) throw err
  })
  await sub.unsubscribe()
}

export async function isPushOn(): Promise<boolean> {
  return pushSupported() && permission.value === 'granted' && (await currentSubscription()) !== null
}

/** On start: the browser may have renewed the subscription while the app was closed; tell the server. */
export async function syncPush(): Promise<void> {
  if (!pushSupported() || Notification.permission !== 'granted') return
  const sub = await currentSubscription()
  if (sub) await push.saveSubscription(toInput(sub))
}

/** Offer push once, after the resident's first acknowledgement; never on a first visit. */
export function shouldOfferPush(): boolean {
  return pushSupported() && Notification.permission === 'default' && !readCache<boolean>(ASKED_KEY)
}

export function markPushOffered(): void {
  writeCache(ASKED_KEY, true)
}
