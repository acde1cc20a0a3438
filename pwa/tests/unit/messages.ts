// Every message of both languages at once, for the tests: the app loads them screen by screen.
import { addMessages, type Namespace } from '@/i18n'
import zhCN from '@/i18n/zh-CN'
import en from '@/i18n/en'
import type { Locale } from '@/api/types'

type Messages = Record<string, unknown>

const FEATURES: Record<Locale, Record<string, Messages>> = {
  'zh-CN': import.meta.glob(['../../src/i18n/zh-CN/*.ts', '!**/server.ts', '!**/featureErrors.ts'], {
    eager: true,
    import: 'default',
  }),
  en: import.meta.glob(['../../src/i18n/en/*.ts', '!**/server.ts', '!**/featureErrors.ts'], { eager: true, import: 'default' }),
}
const CORES: Record<Locale, Messages> = { 'zh-CN': zhCN, en }

/** A feature's messages in one language, by its name. */
export function featureMessages(locale: Locale): Record<Namespace, Messages> {
  const named = Object.entries(FEATURES[locale]).map(([path, messages]) => [path.replace(/^.*\/|\.ts$/g, ''), messages])
  return Object.fromEntries(named)
}

function merge(into: Messages, from: Messages): Messages {
  for (const [key, value] of Object.entries(from)) {
    const mine = into[key]
    const nested = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v)
    into[key] = nested(mine) && nested(value) ? merge({ ...(mine as Messages) }, value as Messages) : value
  }
  return into
}

/** One language's messages as the app has them after visiting every screen. */
export function allMessages(locale: Locale): Messages {
  return Object.values(featureMessages(locale)).reduce((all, part) => merge(all, part), merge({}, CORES[locale]))
}

/** Puts every message into the app's i18n, so a test may switch language at once and use any key. */
export function loadAllMessages(): void {
  for (const locale of ['zh-CN', 'en'] as const) {
    addMessages(locale, 'core', CORES[locale])
    for (const [name, messages] of Object.entries(featureMessages(locale))) addMessages(locale, name as Namespace, messages)
  }
}
