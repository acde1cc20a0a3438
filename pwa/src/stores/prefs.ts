import { defineStore } from 'pinia'
import { ref } from 'vue'
import { readCache, writeCache } from '@/composables/cache'
import { isLocale, setLocale } from '@/i18n'
import type { Locale } from '@/api/types'

interface Prefs {
  care: boolean
  locale: Locale
}

// index.html reads this same key before the app loads, so care mode shows from the first paint.
export const PREFS_KEY = 'prefs'

export const usePrefsStore = defineStore('prefs', () => {
  const saved = readCache<Partial<Prefs>>(PREFS_KEY) ?? {}
  const care = ref(Boolean(saved.care))
  const locale = ref<Locale>(isLocale(saved.locale) ? saved.locale : 'zh-CN')

  function apply(): void {
    document.documentElement.classList.toggle('care', care.value)
    setLocale(locale.value)
    writeCache(PREFS_KEY, { care: care.value, locale: locale.value })
  }

  function set(next: Partial<Prefs>): void {
    if (next.care !== undefined) care.value = next.care
    if (next.locale !== undefined && isLocale(next.locale)) locale.value = next.locale
    apply()
  }

  return { care, locale, apply, set }
})
