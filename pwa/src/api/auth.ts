import { api } from './client'
import type { Locale, Me, Relation } from './types'

/** Where someone lives: by a household invite code (verified at once) or a claim staff will verify. */
export type ResidencyInput =
  | { community_id: number; invite_code: string }
  | { community_id: number; dwelling_id: number; relation: Relation }

export interface RegisterBase {
  phone: string
  password: string
  name: string
}
export type RegisterInput = RegisterBase & ResidencyInput

export interface ProfilePatch {
  name?: string
  locale?: Locale
  care_mode?: boolean
  birth_year?: number | null
}

export const fetchMe = () => api.get<Me>('/auth/me', { redirectOn401: false })
export const login = (phone: string, password: string) =>
  api.post<Me>('/auth/login', { phone, password }, { redirectOn401: false })
export const register = (input: RegisterInput) => api.post<Me>('/auth/register', input)
export const addResidency = (input: ResidencyInput) => api.post<Me>('/auth/residencies', input)
export const logout = () => api.post<void>('/auth/logout')
export const resetPassword = (phone: string, code: string, new_password: string) =>
  api.post<Me>('/auth/password-reset', { phone, code, new_password })
/** What a code texted to the phone is for: logging in, or setting a new password. */
export type SmsPurpose = 'login' | 'reset'
/** The same answer whether or not the phone has an account. */
export interface SmsCodeSent {
  resend_after: number
  expires_in: number
}
export const requestSmsCode = (phone: string, purpose: SmsPurpose) =>
  api.post<SmsCodeSent>('/auth/sms-code', { phone, purpose }, { redirectOn401: false })
export const smsLogin = (phone: string, code: string) =>
  api.post<Me>('/auth/sms-login', { phone, code }, { redirectOn401: false })
export const smsReset = (phone: string, code: string, new_password: string) =>
  api.post<Me>('/auth/sms-reset', { phone, code, new_password })
export const updateMe = (patch: ProfilePatch) => api.patch<Me>('/auth/me', patch)
export const changePassword = (current_password: string, new_password: string) =>
  api.post<void>('/auth/password', { current_password, new_password })
