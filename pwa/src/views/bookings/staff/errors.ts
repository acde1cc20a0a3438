import { showToast } from 'vant'
import { ApiError } from '@/api/client'
import type { Resource } from '@/api/bookingsStaff'
import { errorMessage } from '@/composables/apiErrors'
import { i18n } from '@/i18n'
import { bookingError } from '../helpers'

const t = (key: string) => i18n.global.t(key)
// In the language shown: a feature's messages are loaded only in that one.
const te = (key: string) => i18n.global.te(key)

/** Why the server said no to staff: the screen's own codes, then the booking rules' (bookings.errors). */
export function staffError(err: unknown, resource?: Resource | null, domain = 'bookingsStaff'): string {
  if (err instanceof ApiError && te(`${domain}.errors.${err.code}`)) return t(`${domain}.errors.${err.code}`)
  return domain === 'bookingsStaff' ? bookingError(err, resource ?? {}) : errorMessage(err)
}

export function toastStaffError(err: unknown, resource?: Resource | null, domain?: string): void {
  showToast({ message: staffError(err, resource, domain), wordBreak: 'break-word' })
}
