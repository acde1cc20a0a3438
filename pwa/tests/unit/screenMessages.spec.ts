// Each screen's messages are loaded before it shows (i18n/screens.ts): here every route's screen is read
// with all the code it imports, and each message key it names must be in the core or in a feature that
// screens.ts loads for it.
import { existsSync, readFileSync } from 'node:fs'
import { dirname, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { screenNamespaces } from '@/i18n/screens'
import zhCN from '@/i18n/zh-CN'
import { featureMessages } from './messages'

const SRC = resolve(__dirname, '../../src')
const features = featureMessages('zh-CN')

// Which features hold messages under each top-level key ("market" is in points).
const owners = new Map<string, string[]>()
for (const [name, messages] of Object.entries(features)) {
  for (const key of Object.keys(messages)) owners.set(key, [...(owners.get(key) ?? []), name])
}
const keyPattern = new RegExp(`['"\`]((?:${[...owners.keys()].join('|')})\\.[\\w.]*)`, 'g')

function isCoreLeaf(key: string): boolean {
  const value = key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], zhCN)
  return typeof value === 'string'
}

/** The features whose messages a key needs: none when the core has it. */
function needs(key: string): string[] {
  return isCoreLeaf(key) ? [] : (owners.get(key.split('.')[0]) ?? [])
}

function resolveImport(from: string, spec: string): string | null {
  const base = spec.startsWith('@/') ? resolve(SRC, spec.slice(2)) : spec.startsWith('.') ? resolve(dirname(from), spec) : null
  if (!base) return null
  return [base, `${base}.ts`, `${base}/index.ts`].find((file) => existsSync(file) && /\.(ts|vue)$/.test(file)) ?? null
}

/** Features needed by a file and everything it imports, with a file that names each (for the message). */
function featuresUsed(file: string, seen = new Set<string>(), out = new Map<string, string>()): Map<string, string> {
  const where = relative(SRC, file)
  // Messages are not code; the router is what is being checked; stores keep data, their screens show it.
  if (seen.has(file) || /^(i18n|stores)\/|^router\.ts$/.test(where)) return out
  seen.add(file)
  const code = readFileSync(file, 'utf8')
  for (const [, key] of code.matchAll(keyPattern)) for (const name of needs(key)) if (!out.has(name)) out.set(name, `${where}: ${key}`)
  for (const [, spec] of code.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)) {
    const next = resolveImport(file, spec)
    if (next) featuresUsed(next, seen, out)
  }
  return out
}

const router = readFileSync(resolve(SRC, 'router.ts'), 'utf8')
const screens = [...router.matchAll(/path: '([^']+)',\s*component: \(\) => import\('@\/([^']+)'\),\s*meta: \{ title: '([^']+)'/g)]

describe('screen messages', () => {
  it('finds every screen of the router', () => {
    expect(screens.length).toBe(router.match(/component: \(\) => import\(/g)!.length)
  })

  it.each(screens.map(([, path, component, title]) => [path, component, title]))(
    '%s has the messages it shows',
    (path, component, title) => {
      const used = featuresUsed(resolve(SRC, component))
      for (const name of needs(title)) if (!used.has(name)) used.set(name, `title: ${title}`)
      const missing = [...used].filter(([name]) => !screenNamespaces(path).includes(name as never))
      expect(missing).toEqual([])
    },
  )

  it('the app shell shows only core messages', () => {
    expect([...featuresUsed(resolve(SRC, 'App.vue'))]).toEqual([])
  })

  it('the home grid names every feature from the core', () => {
    const grid = readFileSync(resolve(SRC, 'features.ts'), 'utf8')
    const keys = [...grid.matchAll(/titleKey: '([^']+)'/g)].map((m) => m[1])
    expect(keys.length).toBeGreaterThan(5)
    expect(keys.filter((key) => !isCoreLeaf(key))).toEqual([])
  })
})
