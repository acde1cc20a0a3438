import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import * as auth from '@/api/auth'
import { ApiError } from '@/api/client'
import type { Me, Membership } from '@/api/types'
import { clearCache, readCache, writeCache } from '@/composables/cache'
import { setHomeTimeZone } from '@/composables/format'
import { markOffline, markOnline } from '@/composables/useOnline'
import { usePrefsStore } from './prefs'

const ME_KEY = 'me'

export const useSessionStore = defineStore('session', () => {
  const me = ref<Me | null>(null)
  const loaded = ref(false)
  const fromCache = ref(false)

  const staffMemberships = computed<Membership[]>(() => me.value?.memberships.filter((m) => m.role === 'staff') ?? [])
  const isStaff = computed(() => staffMemberships.value.length > 0)
  const residency = computed(() => {
    const list = me.value?.residencies ?? []
    return list.find((r) => r.status === 'verified') ?? list.find((r) => r.status === 'pending') ?? list[0] ?? null
  })

  // The community this person lives in, else works for: its time zone is the one dates are shown in.
  function setHomeZone(value: Me | null): void {
    const home = value?.residencies.find((r) => r.status === 'verified')?.community_id
    const membership = value?.memberships.find((m) => m.community.id === home) ?? value?.memberships[0]
    setHomeTimeZone(membership?.community.timezone)
  }

  function setMe(value: Me | null): void {
    me.value = value
    setHomeZone(value)
    loaded.value = true
    fromCache.value = false
    if (!value) return clearCache(ME_KEY)
    writeCache(ME_KEY, value)
    usePrefsStore().set({ care: value.care_mode, locale: value.locale })
  }

  async function load(): Promise<Me | null> {
    try {
      setMe(await auth.fetchMe())
      markOnline()
    } catch (err) {
      if (!(err instanceof ApiError)) throw err
      if (err.status === 401) setMe(null)
      else useCached(err)
    }
    return me.value
  }

  function useCached(err: ApiError): void {
    const cached = readCache<Me>(ME_KEY)
    if (!cached) throw err
    if (err.code === 'network_error') markOffline()
    me.value = cached
    setHomeZone(cached)
    loaded.value = true
    fromCache.value = true
  }

  async function ensure(): Promise<Me | null> {
    return loaded.value ? me.value : load()
  }

  // Language and care mode chosen on this device before logging in are kept and saved to the profile.
  async function startSession(value: Me): Promise<Me> {
    // Chosen on this device before logging in: saved to the profile. Otherwise the profile's settings win.
    const prefs = usePrefsStore()
    const patch: auth.ProfilePatch = {}
    if (prefs.chosen.includes('care') && value.care_mode !== prefs.care) patch.care_mode = prefs.care
    if (prefs.chosen.includes('locale') && value.locale !== prefs.locale) patch.locale = prefs.locale
    if (Object.keys(patch).length) value = await auth.updateMe(patch)
    prefs.forgetChosen()
    setMe(value)
    return value
  }

  async function login(phone: string, password: string): Promise<Me> {
    return startSession(await auth.login(phone, password))
  }

  async function resetPassword(phone: string, code: string, password: string): Promise<Me> {
    return startSession(await auth.resetPassword(phone, code, password))
  }

  async function smsLogin(phone: string, code: string): Promise<Me> {
    return startSession(await auth.smsLogin(phone, code))
  }

  async function smsReset(phone: string, code: string, password: string): Promise<Me> {
    return startSession(await auth.smsReset(phone, code, password))
  }

  async function register(input: auth.RegisterInput): Promise<Me> {
    return startSession(await auth.register(input))
  }

  async function addResidency(input: auth.ResidencyInput): Promise<Me> {
    const value = await auth.addResidency(input)
    setMe(value)
    return value
  }

  async function update(patch: auth.ProfilePatch): Promise<Me> {
    const value = await auth.updateMe(patch)
    setMe(value)
    return value
  }

  async function logout(): Promise<void> {
    await auth.logout()
    setMe(null)
  }

  return { me, loaded, fromCache, staffMemberships, isStaff, residency, setMe, load, ensure, login, resetPassword, smsLogin, smsReset, register, addResidency, update, logout }
})
