import { api, request } from './client'
import { CATEGORIES } from './notices'
import type { Category } from './notices'

/** Notices' categories and the pushes of bookings (reminders, a seat free from the waitlist). */
export type PushCategory = Category | 'booking'
export const PUSH_CATEGORIES: PushCategory[] = [...CATEGORIES, 'booking']

export interface PushPreferences {
  categories: PushCategory[]
  quiet_enabled: boolean
  quiet_start: string
  quiet_end: string
}

export interface Device {
  id: number
  endpoint: string
  user_agent: string
  created_at: string
  last_success_at: string | null
}

export interface SubscriptionInput {
  endpoint: string
  keys: { p256dh: string; auth: string }
  user_agent?: string
  old_endpoint?: string
}

export const vapidPublicKey = () => api.get<{ public_key: string }>('/push/vapid-public-key')
export const listDevices = () => api.get<Device[]>('/push/subscriptions')
export const saveSubscription = (input: SubscriptionInput) => api.post<Device>('/push/subscriptions', input)
export const removeSubscription = (endpoint: string) => api.post<void>('/push/subscriptions/remove', { endpoint })
export const getPreferences = () => api.get<PushPreferences>('/push/preferences')
export const savePreferences = (prefs: Partial<PushPreferences>) =>
  request<PushPreferences>('PUT', '/push/preferences', { body: prefs })
