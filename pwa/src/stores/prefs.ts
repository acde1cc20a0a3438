import { defineStore } from 'pinia'
import { ref } from 'vue'
import { readCache, writeCache } from '@/composables/cache'
import { isLocale, setLocale } from '@/i18n'
import type { Locale } from '@/api/types'

interface Prefs {
  care: boolean
  locale: Locale
}
type Pref = keyof Prefs

// index.html reads this same key before the app loads, so care mode shows from the first paint.
export const PREFS_KEY = 'prefs'

export const usePrefsStore = defineStore('prefs', () => {
  const saved = readCache<Partial<Prefs>>(PREFS_KEY) ?? {}
  const care = ref(Boolean(saved.care))
  const locale = ref<Locale>(isLocale(saved.locale) ? saved.locale : 'zh-CN')
  // What was chosen on this device before logging in: it goes to the profile at login; the rest comes from
  // the profile, so care mode follows an elderly resident to a new phone.
  const chosen = ref<Pref[]>(Array.isArray((saved as { chosen?: unknown }).chosen) ? (saved as { chosen: Pref[] }).chosen : [])

  function apply(): void {
    document.documentElement.classList.toggle('care', care.value)
    setLocale(locale.value)
    writeCache(PREFS_KEY, { care: care.value, locale: locale.value, chosen: chosen.value })
  }

  function set(next: Partial<Prefs>): void {
    if (next.care !== undefined) care.value = next.care
    if (next.locale !== undefined && isLocale(next.locale)) locale.value = next.locale
    apply()
  }

  /** A choice made on this device before logging in (the prefs bar). */
  function choose(next: Partial<Prefs>): void {
    chosen.value = [...new Set([...chosen.value, ...(Object.keys(next) as Pref[])])]
    set(next)
  }

  function forgetChosen(): void {
    chosen.value = []
    apply()
  }

  return { care, locale, chosen, apply, set, choose, forgetChosen }
})
