import { createI18n } from 'vue-i18n'
import { Locale as VantLocale } from 'vant'
import zhCN from './zh-CN'
import type { Locale } from '@/api/types'

export const LOCALES: { value: Locale; label: string }[] = [
  { value: 'zh-CN', label: '简体中文' },
  { value: 'en', label: 'English' },
]

/** A feature's messages (zh-CN/<name>.ts, en/<name>.ts): fetched when a screen first needs them, see screens.ts. */
export type Namespace =
  | 'admin'
  | 'bookings'
  | 'bookingsStaff'
  | 'consult'
  | 'consultStaff'
  | 'contacts'
  | 'contactsStaff'
  | 'facilitiesStaff'
  | 'guide'
  | 'notices'
  | 'points'
  | 'pointsStaff'
  | 'scanner'
  | 'services'
  | 'servicesStaff'
  | 'volunteering'
  | 'volunteeringStaff'
  | 'voting'
  | 'votingStaff'

/** A language's core (zh-CN.ts, en.ts: the app shell, sign-in, home, errors) or one feature's messages. */
type Part = Namespace | 'core'
type Messages = Record<string, unknown>
type Loader = () => Promise<Messages>

// The Chinese core is in the first download; the English core and every feature come in their own files.
// server.ts and featureErrors.ts belong to the cores, which import them.
const FEATURES: Record<Locale, Record<string, Loader>> = {
  'zh-CN': import.meta.glob<Messages>(['./zh-CN/*.ts', '!./zh-CN/server.ts', '!./zh-CN/featureErrors.ts'], { import: 'default' }),
  en: import.meta.glob<Messages>(['./en/*.ts', '!./en/server.ts', '!./en/featureErrors.ts'], { import: 'default' }),
}

async function loadEnglishCore(): Promise<Messages> {
  // Vant's own texts are Chinese unless told otherwise.
  const [core, vant] = await Promise.all([import('./en'), import('vant/es/locale/lang/en-US')])
  VantLocale.add({ 'en-US': vant.default })
  return core.default
}

function loaderOf(locale: Locale, part: Part): Loader {
  if (part === 'core') return locale === 'en' ? loadEnglishCore : () => Promise.resolve(zhCN)
  const loader = FEATURES[locale][`./${locale}/${part}.ts`]
  if (!loader) throw new Error(`No messages for ${locale}/${part}`)
  return loader
}

export const i18n = createI18n({ legacy: false, locale: 'zh-CN', fallbackLocale: 'zh-CN' })

const loaded: Record<Locale, Set<Part>> = { 'zh-CN': new Set(), en: new Set() }
const pending = new Map<string, Promise<void>>()
// The language asked for last: shown as soon as its messages are here.
let wanted: Locale = 'zh-CN'

/** Adds a part of a language's messages (the tests add them all at once). */
export function addMessages(locale: Locale, part: Part, messages: Messages): void {
  i18n.global.mergeLocaleMessage(locale, messages)
  loaded[locale].add(part)
}

function load(locale: Locale, part: Part): Promise<void> {
  if (loaded[locale].has(part)) return Promise.resolve()
  const key = `${locale}/${part}`
  let promise = pending.get(key)
  if (!promise) {
    // A failed fetch (offline before the files were cached) is tried again by the next screen that needs it.
    promise = loaderOf(locale, part)()
      .then((messages) => addMessages(locale, part, messages))
      .finally(() => pending.delete(key))
    pending.set(key, promise)
  }
  return promise
}

// Merged as a copy, which later merges add to without changing the imported module.
addMessages('zh-CN', 'core', zhCN)

function shown(): Locale {
  return i18n.global.locale.value as Locale
}

/**
 * Fetches the messages of these features, with the core, in the language shown and in the one being
 * switched to.
 */
export async function loadMessages(namespaces: readonly Namespace[]): Promise<void> {
  const parts: Part[] = ['core', ...namespaces]
  const locales = new Set([shown(), wanted])
  await Promise.all([...locales].flatMap((locale) => parts.map((part) => load(locale, part))))
}

export function isLocale(value: unknown): value is Locale {
  return value === 'zh-CN' || value === 'en'
}

function show(locale: Locale): void {
  i18n.global.locale.value = locale
  VantLocale.use(locale === 'en' ? 'en-US' : 'zh-CN')
  document.documentElement.lang = locale
  document.title = i18n.global.t('app.name')
}

/**
 * Switches language once the new one's core and every feature already loaded in the old one are here; at
 * once when they already are. Until then the old language stays on screen.
 */
export function setLocale(locale: Locale): Promise<void> {
  wanted = locale
  const parts = [...loaded[shown()]].filter((part) => !loaded[locale].has(part))
  if (!parts.length) {
    show(locale)
    return Promise.resolve()
  }
  return Promise.all(parts.map((part) => load(locale, part))).then(
    () => {
      if (wanted === locale) show(locale)
    },
    (err: unknown) => {
      if (wanted === locale) wanted = shown()
      throw err
    },
  )
}
